// swift-tools-version:6.1
// An example package that uses HouseStyle's two SwiftPM plugins:
//   swift build                                    checks Sources/Greeter/Greeter.docc against styles/demo.yaml
//   swift package housestyle-rewrite --check       reports what the rewrite would change
//   swift package --allow-writing-to-package-directory housestyle-rewrite   rewrites README.md, the catalog and docs/
import PackageDescription

let package = Package(
    name: "PluginDemo",
    platforms: [.macOS(.v14)],
    dependencies: [
        // In your own package: .package(url: "<HouseStyle's repository>", from: "0.1.0").
        .package(name: "HouseStyle", path: "../..")
    ],
    targets: [
        .target(
            name: "Greeter",
            plugins: [.plugin(name: "HouseStyleCheck", package: "HouseStyle")]
        )
    ]
)
