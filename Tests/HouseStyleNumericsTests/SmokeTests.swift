import Testing
@testable import HouseStyleNumerics

@Test func linksOpenBLAS() { #expect(blasThreadCount >= 1) }
