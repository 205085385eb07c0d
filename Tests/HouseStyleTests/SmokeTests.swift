import Testing
@testable import HouseStyle

@Test func hasVersion() { #expect(!houseStyleVersion.isEmpty) }
