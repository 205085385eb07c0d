import Foundation

/// How long a training run will take, from what it will read: the corpus sizes, the recipe's steps
/// and the style's `model` settings, at throughputs measured on the project's benchmark machine
/// (`Throughput`; BENCHMARKS.md, "How long training takes"). Two uses: the CLI says how long a run
/// will take before it starts (from `scan`, which reads the corpus files' bytes but does not
/// segment them), and `Trainer` weights each step's share of the progress fraction by its expected
/// cost (from the corpus it has read), so that "time left", extrapolated from the fraction done,
/// does not jump when one step takes most of the run.
public struct TrainingEstimate: Sendable, Hashable {
    /// The steps of a run, in order, whose costs differ by orders of magnitude.
    public enum Step: String, Sendable, Hashable, CaseIterable {
        /// Reading the corpora, counting n-grams, the language model, substitutions, writing.
        case statistics
        /// Encoding voice and contrast sentences with the frozen encoder to mine neighbour pairs.
        case neighbours
        /// Fine-tuning the voice scorer (the recipe's contributors), and its held-out accuracy.
        case scorer
        /// Running learned edits over the held-out material to calibrate them.
        case calibration
    }

    /// What a run reads: bytes, and sentences after the held-out split.
    public struct Counts: Sendable, Hashable {
        public var bytes: Int
        public var voice: Int, voiceHeldOut: Int
        public var contrast: Int, contrastHeldOut: Int
        public var pairs: Int, pairsHeldOut: Int

        public init(bytes: Int, voice: Int, voiceHeldOut: Int = 0, contrast: Int, contrastHeldOut: Int = 0, pairs: Int, pairsHeldOut: Int = 0) {
            (self.bytes, self.voice, self.voiceHeldOut, self.contrast, self.contrastHeldOut, self.pairs, self.pairsHeldOut)
                = (bytes, voice, voiceHeldOut, contrast, contrastHeldOut, pairs, pairsHeldOut)
        }

        /// All sentences read (pairs count once).
        public var sentences: Int { voice + voiceHeldOut + contrast + contrastHeldOut + pairs + pairsHeldOut }
    }

    /// Work per second of wall time of each step on an idle 2-core machine (AMD Zen 5, the
    /// encoder's kernels on both cores), release build, measured with `housestyle train --force`
    /// of acme (118 kB, 1,145 sentences, 3 epochs), benchmarks/paradetox-neutral.yaml (2.9 MB,
    /// 13,652 pairs, 4,000 fine-tuned) and benchmarks/yelp-positive.yaml (8.2 MB, 159,000
    /// sentences, 20,000 fine-tuned); BENCHMARKS.md, "How long training takes". A machine that
    /// others load takes longer by the share of the processors the run gets (`atShare`), one
    /// with half the FMA peak (Zen 4) about twice as long in its encoder steps; the CLI's time
    /// left corrects either after 5%.
    package enum Throughput {
        /// Corpus bytes per second through the statistics (reading, segmenting, n-grams, the
        /// language model, substitution learners, writing and evaluating the statistics) ...
        public static let statisticsBytesPerSecond = 2_000_000.0
        /// ... after this start (the thesaurus, the word vectors of a small corpus).
        public static let statisticsStartSeconds = 1.0
        /// Sentences per second through the frozen encoder (neighbour mining, held-out scoring).
        public static let encodedSentencesPerSecond = 1_400.0
        /// Bytes of labelled sentences per second prepared for fine-tuning (off-voice variants, the
        /// split, tokens): Yelp's 43-byte sentences 2.7 MB/s, the Bible's 280-byte verses 1.3 MB/s.
        public static let preparedBytesPerSecond = 2_000_000.0
        /// Bytes of training sentences per second in fine-tuning with LoRA in every layer (forward
        /// and backward, one epoch, weights packed once). A step costs what its tokens cost, so a
        /// corpus of short sentences trains more sentences per second: Yelp at 43 bytes a sentence
        /// 570 per second (`train`, session 48; 900 in yelp-200k's longer epoch).
        public static let fineTunedBytesPerSecond = 30_000.0
        /// The layers of the default encoder (all-MiniLM-L6-v2): with `model.lora_layers: K` a
        /// step runs every layer forward but only K backward, (L + K) / 2L of the cost.
        public static let encoderLayers = 6
        /// Words of held-out material per second and per calibration pass (one pass per learned
        /// source), with the voice scorer judging candidates: a long sentence has more sites and
        /// costs more to judge (ParaDetox 19,000 words/s, Yelp 42,000, the Bible with pairs 8,000).
        public static let calibratedWordsPerSecond = 15_000.0
        /// The same without a voice scorer (statistics alone).
        public static let calibratedWordsPerSecondWithoutScorer = 150_000.0
        /// Seconds to load the encoder and start the fine-tuning or the mining.
        public static let encoderStartSeconds = 1.0
    }

    public var counts: Counts
    /// Expected seconds of each step (0 for a step the run does not have).
    public var seconds: [Step: Double]

    /// The whole run, in seconds.
    public var total: Double { Step.allCases.reduce(0) { $0 + (seconds[$1] ?? 0) } }

    /// The estimate for `counts` under `style`'s `model` settings and `recipe`.
    public init(counts: Counts, style: Style, recipe: ModelRecipe) {
        self.counts = counts
        let t = Throughput.self
        var seconds: [Step: Double] = [:]
        seconds[.statistics] = t.statisticsStartSeconds + Double(counts.bytes) / t.statisticsBytesPerSecond
        let neural = !recipe.contributors.isEmpty
        if neural && counts.voice > 0 && counts.contrast > 0 {
            // The miner's seeded samples (`NeighbourMiner`): the voice index, the training and
            // the held-out contrast queries.
            let encoded = min(counts.voice, NeighbourMiner().maximumVoice) + min(counts.contrast, NeighbourMiner().maximumContrast)
                + min(counts.contrastHeldOut, NeighbourMiner().maximumContrast)
            seconds[.neighbours] = t.encoderStartSeconds + Double(encoded) / t.encodedSentencesPerSecond
        }
        if neural {
            // `VoiceScorerTrainer.examples`: voice, contrast, both sides of pairs and one off-voice
            // variant of at most every voice sentence; nine in ten trained on, capped by
            // model.max_sentences; up to 2,000 held out scored once.
            let labelled = counts.voice * 2 + counts.contrast + counts.pairs * 2
            let trained = min(labelled * 9 / 10, style.model.maxSentences)
            let heldOut = min(labelled / 10, VoiceScorerTrainer().maximumHeldOut)
            seconds[.scorer] = (t.encoderStartSeconds + Double(labelled) * Self.bytesPerSentence(counts) / t.preparedBytesPerSecond
                + Double(style.model.epochs * trained) * Self.fineTuningSecondsPerSentence(counts: counts, style: style)
                + Double(heldOut) / t.encodedSentencesPerSecond) * Double(recipe.contributors.count)
        }
        // `Calibrator.material`: held-out pairs, neighbour pairs of held-out contrast sentences, and
        // held-out voice sentences twice (restored and as written), each kind sampled; one pass
        // per learned source (pairs, neighbours' pairs, thesaurus, retrieval).
        // Each kind's sample grows to `Calibrator.wordsPerKind` words (about six bytes a word).
        let meanWords = counts.sentences > 0 ? Double(counts.bytes) / Double(counts.sentences) / 6 : 1
        func perKind(_ count: Int) -> Int { Calibrator.sampleSize(of: count, meanWords: meanWords) }
        let items = perKind(counts.pairsHeldOut) + (neural ? perKind(counts.contrastHeldOut) : 0) + 2 * perKind(counts.voiceHeldOut)
        if items > 0 {
            let passes = 3.0
            seconds[.calibration] = passes * Double(items) * meanWords / (neural ? t.calibratedWordsPerSecond : t.calibratedWordsPerSecondWithoutScorer)
        }
        self.seconds = seconds
    }

    /// Seconds to fine-tune on one sentence of the corpus `counts` describes, for one epoch:
    /// its mean bytes per sentence at `Throughput.fineTunedBytesPerSecond`, less where
    /// `model.lora_layers` trains only the top layers.
    static func fineTuningSecondsPerSentence(counts: Counts, style: Style) -> Double {
        let t = Throughput.self
        let bytesPerSentence = Self.bytesPerSentence(counts)
        let layers = Double(t.encoderLayers)
        let trained = min(Double(style.model.loraLayers ?? t.encoderLayers), layers)
        return bytesPerSentence / t.fineTunedBytesPerSecond * (layers + trained) / (2 * layers)
    }

    /// The mean bytes of a sentence of the corpus `counts` describes (0 for none).
    static func bytesPerSentence(_ counts: Counts) -> Double {
        counts.sentences > 0 ? Double(counts.bytes) / Double(counts.sentences) : 0
    }

    /// The estimate for a corpus that has been read.
    public init(corpus: TrainingCorpus, style: Style, recipe: ModelRecipe) {
        let bytes = corpus.files.reduce(0) { $0 + $1.bytes }
        self.init(counts: Counts(bytes: bytes, voice: corpus.voice.count, voiceHeldOut: corpus.voiceHeldOut.count,
                                 contrast: corpus.contrast.count, contrastHeldOut: corpus.contrastHeldOut.count,
                                 pairs: corpus.pairs.count, pairsHeldOut: corpus.pairsHeldOut.count),
                  style: style, recipe: recipe)
    }

    /// The estimate before anything is segmented: the corpus files' bytes, and their sentences
    /// counted by a quick scan (sentence-ending punctuation followed by a space or a line break,
    /// and lines that end a block without one: headings, list items, one sentence per line),
    /// split as `CorpusReader` splits them. Repeated sentences, which the reader reads once, are
    /// counted each time.
    /// - Throws: `CorpusError` when a glob reaches outside the project or a file cannot be read.
    public static func scan(_ style: Style, recipe: ModelRecipe) throws(CorpusError) -> TrainingEstimate {
        var bytes = 0
        func sentences(_ globs: [CorpusGlob], role: CorpusRole) throws(CorpusError) -> Int {
            var count = 0
            for path in try CorpusReader.expand(globs, role: role) {
                let data = try CorpusReader.readBytes(path)
                bytes += data.count
                count += role == .pairs ? lineCount(data) : sentenceCount(data)
            }
            return count
        }
        let voice = try sentences(style.corpus.voice, role: .voice)
        let contrast = try sentences(style.corpus.contrast, role: .contrast)
        let pairs = try sentences(style.corpus.pairs, role: .pairs)
        // CorpusReader holds out one sentence in 20 (from 40 on) and one pair in 10 (from 40 on).
        func split(_ n: Int, _ modulus: Int) -> (Int, Int) { n >= 40 ? (n - n / modulus, n / modulus) : (n, 0) }
        let (v, vh) = split(voice, 20), (c, ch) = split(contrast, 20), (p, ph) = split(pairs, 10)
        return TrainingEstimate(counts: Counts(bytes: bytes, voice: v, voiceHeldOut: vh, contrast: c, contrastHeldOut: ch, pairs: p, pairsHeldOut: ph),
                                style: style, recipe: recipe)
    }

    /// The fraction of the whole run done when `step` is `done` (0...1) through, weighted by the
    /// steps' expected seconds: the steps before it count in full.
    public func fraction(_ step: Step, _ done: Double) -> Double {
        let total = self.total
        guard total > 0 else { return 0 }
        var before = 0.0
        for s in Step.allCases {
            if s == step { break }
            before += seconds[s] ?? 0
        }
        return min(max((before + (seconds[step] ?? 0) * min(max(done, 0), 1)) / total, 0), 1)
    }

    /// The share of a core a run can expect on a machine with `processors` and this one-minute
    /// load average: processors / load, at most 1 (an idle machine).
    public static func coreShare(load: Double, processors: Int) -> Double {
        min(1, Double(max(processors, 1)) / max(load, 1))
    }

    /// The estimate with every step's seconds divided by `share` (`coreShare`): the wall time on a
    /// busy machine.
    public func atShare(_ share: Double) -> TrainingEstimate {
        var scaled = self
        scaled.seconds = seconds.mapValues { $0 / min(max(share, 0.01), 1) }
        return scaled
    }

    /// Seconds left at `fraction` done (of a run whose progress `fraction` weights as this
    /// estimate does) after `elapsed` seconds: the estimate's share still to do until 5% is
    /// done, then the elapsed time extrapolated, which corrects for a machine faster or slower
    /// than the one the throughputs were measured on. Nil once done.
    public func secondsLeft(elapsed: Double, fraction: Double) -> Double? {
        guard fraction < 1 else { return nil }
        return Self.extrapolated(elapsed: elapsed, fraction: fraction) ?? total * (1 - max(fraction, 0))
    }

    /// `elapsed / fraction × (1 − fraction)` from 5% done on, else nil (too early to extrapolate).
    public static func extrapolated(elapsed: Double, fraction: Double) -> Double? {
        guard fraction > 0.05, fraction < 1 else { return nil }
        return elapsed / fraction * (1 - fraction)
    }

    /// "about 40 s", "about 6 min", "about 1 h 20 min": rounded so as not to claim precision it has not.
    public static func duration(_ seconds: Double) -> String {
        let s = max(seconds, 1)
        if s < 60 { return "about \(Int(s < 10 ? s.rounded() : (s / 5).rounded() * 5)) s" }
        if s < 3600 { return "about \(Int((s / 60).rounded())) min" }
        let minutes = Int((s / 600).rounded()) * 10
        return minutes % 60 == 0 ? "about \(minutes / 60) h" : "about \(minutes / 60) h \(minutes % 60) min"
    }

    /// `12.3 MB of corpora (about 41,000 sentences, 2,000 pairs)`.
    public var summary: String {
        let b = Double(counts.bytes)
        let size = b >= 1_000_000 ? String(format: "%.1f MB", b / 1_000_000) : b >= 1000 ? String(format: "%.0f kB", b / 1000) : "\(counts.bytes) bytes"
        let sentences = counts.voice + counts.voiceHeldOut + counts.contrast + counts.contrastHeldOut
        let pairs = counts.pairs + counts.pairsHeldOut
        return "\(size) of corpora (about \(Self.grouped(Self.roughly(sentences))) sentences"
            + (pairs > 0 ? ", \(Self.grouped(pairs)) pair\(pairs == 1 ? "" : "s"))" : ")")
    }

    /// Each step that takes time: `statistics about 20 s, voice scorer about 4 min, ...`.
    public var breakdown: String {
        let names: [Step: String] = [.statistics: "statistics", .neighbours: "neighbour pairs", .scorer: "voice scorer", .calibration: "calibration"]
        return Step.allCases.compactMap { step in
            guard let s = seconds[step], s >= 0.5 else { return nil }
            return "\(names[step]!) \(Self.duration(s))"
        }.joined(separator: ", ")
    }

    /// A count rounded to two significant digits from 1,000 on (the scan counts roughly).
    static func roughly(_ n: Int) -> Int {
        guard n >= 1000 else { return n }
        var scale = 1
        while n / scale >= 100 { scale *= 10 }
        return (n + scale / 2) / scale * scale
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// Non-empty lines.
    static func lineCount(_ data: Data) -> Int {
        var count = 0, blank = true
        for byte in data {
            if byte == 10 { if !blank { count += 1 }; blank = true } else if byte != 32 && byte != 9 && byte != 13 { blank = false }
        }
        return count + (blank ? 0 : 1)
    }

    /// Sentences, roughly: `.`, `!` or `?` (with closing quotes or brackets) before a space, a line
    /// break or the end; and a non-empty line without one that ends a block (a blank line, the end,
    /// or a next line that starts a heading or list item): headings, list items, short lines.
    static func sentenceCount(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var count = 0
        var lineHasText = false, lineEndsSentence = false
        var i = 0
        func startsBlock(at j: Int) -> Bool {
            var k = j
            while k < bytes.count && (bytes[k] == 32 || bytes[k] == 9) { k += 1 }
            guard k < bytes.count else { return true }
            let b = bytes[k]
            if b == 10 || b == 13 || b == 35 || b == 62 { return true }  // blank, '#', '>'
            if (b == 45 || b == 42 || b == 43) && k + 1 < bytes.count && bytes[k + 1] == 32 { return true }  // '- ', '* ', '+ '
            var d = k
            while d < bytes.count && bytes[d] >= 48 && bytes[d] <= 57 { d += 1 }
            return d > k && d < bytes.count && (bytes[d] == 46 || bytes[d] == 41)  // '1.' or '1)'
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 10 {
                if lineHasText && !lineEndsSentence && startsBlock(at: i + 1) { count += 1 }
                lineHasText = false
                lineEndsSentence = false
            } else if b == 46 || b == 33 || b == 63 {
                var j = i + 1
                while j < bytes.count && (bytes[j] == 34 || bytes[j] == 39 || bytes[j] == 41 || bytes[j] == 93) { j += 1 }
                if j == bytes.count || bytes[j] == 32 || bytes[j] == 10 || bytes[j] == 13 || bytes[j] == 9 {
                    count += 1
                    lineEndsSentence = true
                    lineHasText = true
                    i = j
                    continue
                }
                lineHasText = true
                lineEndsSentence = false
            } else if b != 32 && b != 9 && b != 13 {
                lineHasText = true
                lineEndsSentence = false
            }
            i += 1
        }
        if lineHasText && !lineEndsSentence { count += 1 }
        return count
    }
}
