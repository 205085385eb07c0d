import Testing
@testable import HouseStyle

/// Corpora of 200,000 tokens each: 100 filler words as common in both, and a few words that lean one way.
private func salience(voiceExtra: [UInt32: Int], contrastExtra: [UInt32: Int]) -> [UInt32: Double] {
    func counts(_ extra: [UInt32: Int]) -> NGramCounts {
        var counts = NGramCounts(maxOrder: 1)
        var ids: [UInt32] = []
        for _ in 0..<2000 { for id in UInt32(10)..<110 { ids.append(id) } }
        for (id, count) in extra.sorted(by: { $0.key < $1.key }) { ids += Array(repeating: id, count: count) }
        counts.add(ids)
        return counts
    }
    let entries = Salience.compute(voice: counts(voiceExtra), contrast: counts(contrastExtra), reference: nil)
    return Dictionary(uniqueKeysWithValues: entries.map { ($0.ngram[0], $0.z) })
}

@Test func aWordOneCorpusNeverWritesIsAsSalientAsTheOtherCorpusSays() {
    // 200: never in the voice, 600 times in the contrast; 201: 20 and 300; 202: never, 3;
    // 203: 3 times in the voice only.
    let z = salience(voiceExtra: [201: 20, 203: 3], contrastExtra: [200: 600, 201: 300, 202: 3])
    // A prior of 1,000 pseudo-tokens made the first less off-voice than the second (−7.3 against
    // −11.8): with no count in the voice, its variance was the prior's alone.
    #expect(z[200]! < z[201]!)
    #expect(z[200]! <= -15)
    // Three occurrences are still no evidence either way.
    #expect(z[202]! > -2 && z[202]! < 0)
    #expect(z[203]! < 2 && z[203]! > 0)
    // The filler is no marker.
    #expect(abs(z[10]!) < 1)
}
