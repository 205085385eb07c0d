import Testing
@testable import HouseStyleYAML

@Test func linksLibyaml() { #expect(libyamlVersion.hasPrefix("0.2")) }
