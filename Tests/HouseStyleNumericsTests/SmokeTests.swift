import Testing
@testable import HouseStyleNumerics

@Test func linksOpenBLAS() { #expect(BLAS.threadCount >= 1) }
