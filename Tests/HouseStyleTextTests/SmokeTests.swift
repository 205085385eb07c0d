import Testing
@testable import HouseStyleText

@Test func linksICU72() { #expect(icuVersion.hasPrefix("72.")) }
