// swift-tools-version:6.1
import PackageDescription

/// Whether this is a working checkout rather than a tagged release: SwiftPM refuses a package
/// with unsafe flags as a dependency by version (checked out at its tag) when the package's tools
/// version is below 6.2 (swiftlang/swift-package-manager#8896 and #8951; swift 6.3.1 still refuses
/// this 6.1 manifest), so a tagged or registry copy builds without them. The AVX-512 and AVX2
/// kernels do not need them: each such function carries `__attribute__((target(...)))` and is
/// picked at run time. No product's target has unconditional unsafe flags.
let isWorkingCheckout = Context.gitInformation.map { $0.currentTag == nil } ?? false

let package = Package(
    name: "HouseStyle",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "housestyle", targets: ["housestyle"]),
        .library(name: "HouseStyle", targets: ["HouseStyle"]),
        .plugin(name: "HouseStyleRewrite", targets: ["HouseStyleRewrite"]),
        .plugin(name: "HouseStyleCheck", targets: ["HouseStyleCheck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // C and C++ wrappers. Each is imported by exactly one Swift module.
        .target(
            name: "CICUShim",
            linkerSettings: [
                .linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata"),
            ]
        ),
        // The encoder's AVX-512 kernels: optimised in debug builds of a working checkout too, or the
        // tests' training runs take 10x longer (see isWorkingCheckout).
        .target(
            name: "CNumericsKernels",
            cSettings: isWorkingCheckout ? [.unsafeFlags(["-O2"], .when(configuration: .debug))] : []
        ),
        // Starting external stages with nothing but stdin, stdout and stderr (posix_spawn, pidfd).
        .target(name: "CProcessShim"),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Library modules.
        .target(name: "HouseStyleText", dependencies: ["CICUShim"]),
        .target(name: "HouseStyleYAML", dependencies: ["CYAML"]),
        .target(name: "HouseStyleNumerics", dependencies: ["COpenBLAS", "CNumericsKernels"]),
        .target(
            name: "HouseStyle",
            dependencies: ["HouseStyleText", "HouseStyleYAML", "HouseStyleNumerics", "CZlib", "CProcessShim"]
        ),

        // Command-line tool and benchmarks.
        .executableTarget(
            name: "housestyle",
            dependencies: [
                // HouseStyleText for TextDecoding, DocumentFormat and UnifiedDiff; HouseStyleNumerics for eval's encoder.
                "HouseStyle", "HouseStyleText", "HouseStyleNumerics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // No unsafe flags: the kernels it times are compiled in their own modules, and -Ounchecked
        // here measured no faster (BENCHMARKS.md, "Dropping -Ounchecked from housestyle-bench").
        .executableTarget(name: "housestyle-bench", dependencies: ["HouseStyle", "HouseStyleText", "HouseStyleNumerics"]),

        // SwiftPM plugins: `swift package housestyle-rewrite`, and a check of each target's docs during `swift build`.
        .plugin(
            name: "HouseStyleRewrite",
            capability: .command(
                intent: .custom(verb: "housestyle-rewrite", description: "Rewrite the package's Markdown and DocC files into its house style"),
                permissions: [.writeToPackageDirectory(reason: "housestyle-rewrite rewrites README.md, *.docc catalogs and docs/ in place")]
            ),
            dependencies: ["housestyle"]
        ),
        .plugin(name: "HouseStyleCheck", capability: .buildTool(), dependencies: ["housestyle"]),

        // Tests: one target per module, plus the CLI.
        .testTarget(name: "HouseStyleTextTests", dependencies: ["HouseStyleText"]),
        .testTarget(name: "HouseStyleYAMLTests", dependencies: ["HouseStyleYAML"]),
        .testTarget(name: "HouseStyleNumericsTests", dependencies: ["HouseStyleNumerics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HouseStyleTests", dependencies: ["HouseStyle"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HousestyleCLITests", dependencies: ["housestyle"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
