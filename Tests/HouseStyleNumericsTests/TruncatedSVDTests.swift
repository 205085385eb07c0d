import Testing
@testable import HouseStyleNumerics

@Test func jacobiDiagonalisesASymmetricMatrix() {
    let m: [Double] = [4, 1, 2, 1, 3, 0, 2, 0, 5]
    let (values, vectors) = SymmetricEigen.jacobi(m, size: 3)
    // A v = lambda v for every column.
    for c in 0..<3 {
        for r in 0..<3 {
            let av = (0..<3).reduce(0.0) { $0 + m[r * 3 + $1] * vectors[$1 * 3 + c] }
            #expect(abs(av - values[c] * vectors[r * 3 + c]) < 1e-9)
        }
    }
    #expect(abs(values.reduce(0, +) - 12) < 1e-9)  // trace
}

@Test func truncatedSVDRecoversALowRankMatrix() {
    // A = x yᵀ * 3 + p qᵀ * 1 with orthonormal x, p and y, q: singular values 3 and 1.
    let rows = 6, columns = 5
    let x: [Float] = [1, 1, 1, 1, 0, 0].map { $0 / 2 }, p: [Float] = [1, -1, 1, -1, 0, 0].map { $0 / 2 }
    let y: [Float] = [1, 0, 0, 0, 0], q: [Float] = [0, 0.6, 0.8, 0, 0]
    var a = [Float](repeating: 0, count: rows * columns)
    for r in 0..<rows { for c in 0..<columns { a[r * columns + c] = 3 * x[r] * y[c] + p[r] * q[c] } }
    let svd = TruncatedSVD(a, rows: rows, columns: columns, rank: 2, seed: 7)
    #expect(svd.rank == 2)
    #expect(abs(svd.singularValues[0] - 3) < 1e-4)
    #expect(abs(svd.singularValues[1] - 1) < 1e-4)
    // First left vector is x up to sign (the convention makes the largest entry positive).
    for r in 0..<rows { #expect(abs(abs(svd.u[r * 2]) - abs(x[r])) < 1e-4) }
    let again = TruncatedSVD(a, rows: rows, columns: columns, rank: 2, seed: 7)
    #expect(again.u == svd.u)
}
