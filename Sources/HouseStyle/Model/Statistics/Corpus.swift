import Foundation
import HouseStyleText

/// One file a model was trained on, with its fingerprint.
public struct CorpusFile: Sendable, Hashable, Codable {
    public var path: String
    public var role: CorpusRole
    public var bytes: Int
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
}

/// An editor's revision: the sentence before and after.
public struct SentencePair: Sendable, Hashable {
    public var before: String
    public var after: String
    /// `path:line`, for reports.
    public var source: String
}

/// The text of a style's corpora, ready for training: NFC, split into sentences, without
/// duplicates, with a seeded held-out share of the voice and contrast sentences.
public struct TrainingCorpus: Sendable {
    public var files: [CorpusFile]
    /// On-voice training sentences, in corpus order.
    public var voice: [String]
    /// On-voice sentences held out for perplexity (never trained on).
    public var voiceHeldOut: [String]
    public var contrast: [String]
    /// Off-voice sentences held out to count the edits the model would make.
    public var contrastHeldOut: [String]
    public var pairs: [SentencePair]
    /// Editor revisions held out (one in ten, by a seeded hash of the before side) to calibrate
    /// and evaluate learned edits against a known answer; never trained on.
    public var pairsHeldOut: [SentencePair] = []
    public var warnings: [CorpusWarning]
}

/// Reads the corpora of a style.
package struct CorpusReader {
    /// One sentence in `heldOutModulus` goes to the held-out split.
    public var heldOutModulus: UInt64 = 20
    public var seed: UInt64

    public init(seed: Int) { self.seed = UInt64(truncatingIfNeeded: seed) }

    /// Reads every corpus file of `style`.
    /// - Throws: `CorpusError` naming the file (and line) at fault.
    public func read(_ style: Style) throws(CorpusError) -> TrainingCorpus {
        guard !style.corpus.voice.isEmpty else { throw .noVoiceCorpus(style: style.name) }
        var files: [CorpusFile] = []
        var warnings: [CorpusWarning] = []
        let segmenter: SentenceSegmenter
        do { segmenter = try SentenceSegmenter(locale: style.locale) } catch {
            throw .unreadable(path: "<locale \(style.locale)>", reason: "\(error)")
        }
        func sentences(of role: CorpusRole, _ globs: [CorpusGlob]) throws(CorpusError) -> [String] {
            var result: [String] = []
            var seen = Set<String>()
            for path in try Self.expand(globs, role: role) {
                let (text, file) = try Self.readFile(path, role: role)
                files.append(file)
                for sentence in try Self.sentences(in: text, path: path, segmenter: segmenter) where seen.insert(sentence).inserted {
                    result.append(sentence)
                }
            }
            if result.isEmpty && !globs.isEmpty { throw .emptyCorpus(role: role, patterns: globs.map(\.pattern)) }
            return result
        }
        let voiceAll = try sentences(of: .voice, style.corpus.voice)
        let contrastAll = try sentences(of: .contrast, style.corpus.contrast)
        var pairs: [SentencePair] = []
        var seenPairs = Set<[String]>()
        for path in try Self.expand(style.corpus.pairs, role: .pairs) {
            let (text, file) = try Self.readFile(path, role: .pairs)
            files.append(file)
            for pair in try Self.pairs(in: text, path: path, warnings: &warnings) where seenPairs.insert([pair.before, pair.after]).inserted {
                pairs.append(pair)
            }
        }
        let (voice, voiceHeldOut) = split(voiceAll)
        let (contrast, contrastHeldOut) = split(contrastAll)
        var trainPairs = pairs, pairsHeldOut: [SentencePair] = []
        if pairs.count >= 40 {
            trainPairs = []
            for pair in pairs {
                if FNV1a.hash(pair.before, seed: seed ^ 0x7061_6972) % Self.pairsHeldOutModulus == 0 { pairsHeldOut.append(pair) } else { trainPairs.append(pair) }
            }
        }
        return TrainingCorpus(files: files, voice: voice, voiceHeldOut: voiceHeldOut, contrast: contrast,
            contrastHeldOut: contrastHeldOut, pairs: trainPairs, pairsHeldOut: pairsHeldOut, warnings: warnings)
    }

    /// One editor revision in this many is held out (pairs are scarcer than sentences).
    public static let pairsHeldOutModulus: UInt64 = 10

    /// Splits by a seeded hash of each sentence, so the split does not depend on file order.
    /// A corpus too small to spare sentences keeps them all for training.
    func split(_ sentences: [String]) -> (train: [String], heldOut: [String]) {
        guard sentences.count >= 40 else { return (sentences, []) }
        var train: [String] = [], heldOut: [String] = []
        for sentence in sentences {
            if FNV1a.hash(sentence, seed: seed) % heldOutModulus == 0 { heldOut.append(sentence) } else { train.append(sentence) }
        }
        return (train, heldOut)
    }

    /// The files of `globs`, each once, in order.
    /// - Throws: `CorpusError.outsideProject` when a glob reaches outside the style's scope.
    static func expand(_ globs: [CorpusGlob], role: CorpusRole) throws(CorpusError) -> [String] {
        var seen = Set<String>()
        var files: [String] = []
        for glob in globs {
            do {
                files += try glob.files().filter { seen.insert($0).inserted }
            } catch {
                throw .outsideProject(keyPath: "corpus.\(role.rawValue)", mark: glob.mark, error)
            }
        }
        return files
    }

    /// A corpus file is at most this large (256 MiB): a device such as /dev/zero, or a file that
    /// is not a corpus, must not be read into memory whole.
    public static let fileSizeLimit = 1 << 28

    /// The bytes of a corpus file: a regular file (a FIFO would block, a device never end) of at
    /// most `fileSizeLimit` bytes.
    static func readBytes(_ path: String) throws(CorpusError) -> Data {
        // Non-blocking, so that opening a FIFO does not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadable(path: path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)).lowercased())
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw .unreadable(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .unreadable(path: path, reason: status.st_mode & S_IFMT == S_IFDIR ? "it is a folder" : "not a regular file")
        }
        guard Int(status.st_size) <= fileSizeLimit else {
            close(descriptor)
            throw .tooLarge(path: path, bytes: Int(status.st_size), limit: fileSizeLimit)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data: Data
        do { data = try handle.read(upToCount: fileSizeLimit + 1) ?? Data() } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        // The file may have grown since fstat.
        guard data.count <= fileSizeLimit else { throw .tooLarge(path: path, bytes: data.count, limit: fileSizeLimit) }
        return data
    }

    static func readFile(_ path: String, role: CorpusRole) throws(CorpusError) -> (String, CorpusFile) {
        let data = try readBytes(path)
        let text: String
        do { text = try TextDecoding.decodeUTF8(data, path: path) } catch { throw .notText(path: path, reason: Self.reason(error)) }
        let normalized: String
        do { normalized = try Normalization.nfc(text) } catch { throw .notText(path: path, reason: "\(error)") }
        return (normalized, CorpusFile(path: path, role: role, bytes: data.count, sha256: SHA256.hex(data)))
    }

    /// The message of a decoding error without the path it already starts with.
    static func reason(_ error: TextError) -> String {
        let message = error.description
        if let range = message.range(of: ": ") { return String(message[range.upperBound...]) }
        return message
    }

    /// The prose sentences of a text: Markdown is reduced to its prose blocks (no code, no
    /// markup); each block is split into sentences, whitespace collapsed.
    static func sentences(in text: String, path: String, segmenter: SentenceSegmenter) throws(CorpusError) -> [String] {
        let document = Document(text: text, path: path)
        var result: [String] = []
        let utf8 = Array(text.utf8)
        for block in document.proseBlocks {
            do { result += try sentences(of: block, in: utf8, segmenter: segmenter) } catch { throw .unreadable(path: path, reason: "\(error)") }
        }
        return result
    }

    /// The sentences of one prose block as training reads them (and `DocumentScorer` scores
    /// them): its ranges joined by a space, split by `segmenter`, whitespace collapsed, and
    /// only sentences with a letter kept.
    static func sentences(of block: ProseBlock, in utf8: [UInt8], segmenter: SentenceSegmenter) throws(TextError) -> [String] {
        var prose: [UInt8] = []
        for range in block.ranges {
            if !prose.isEmpty { prose.append(UInt8(ascii: " ")) }
            prose.append(contentsOf: utf8[range])
        }
        let blockText = String(decoding: prose, as: UTF8.self)
        var result: [String] = []
        for segment in try segmenter.sentences(in: blockText) {
            let sentence = collapseSpace(segment.substring(in: blockText))
            if sentence.contains(where: { $0.isLetter }) { result.append(sentence) }
        }
        return result
    }

    /// Trims and collapses runs of whitespace (line breaks inside a paragraph) to one space.
    static func collapseSpace(_ text: Substring) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text {
            if character.isWhitespace { pendingSpace = !out.isEmpty; continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(character)
        }
        return out
    }

    /// The pairs of a `.tsv` or `.jsonl` file.
    /// `keepingIdentical`: evaluation keeps a pair whose editor changed nothing (training skips it).
    static func pairs(in text: String, path: String, warnings: inout [CorpusWarning], keepingIdentical: Bool = false) throws(CorpusError) -> [SentencePair] {
        let lower = path.lowercased()
        let isJSON = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
        guard isJSON || lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") else { throw .unknownPairsFormat(path: path) }
        var result: [SentencePair] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy(\.isWhitespace) { continue }
            let number = index + 1
            let before: String, after: String
            if isJSON {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let b = object["before"] as? String, let a = object["after"] as? String
                else { throw .malformedPairRecord(path: path, line: number) }
                (before, after) = (b, a)
            } else {
                guard let tab = line.firstIndex(of: "\t") else { throw .pairWithoutTab(path: path, line: number) }
                (before, after) = (String(line[..<tab]), String(line[line.index(after: tab)...]))
            }
            let b = collapseSpace(before[...]), a = collapseSpace(after[...])
            if b == a && !keepingIdentical {
                warnings.append(CorpusWarning(path: path, line: number, message: "before and after are identical; the pair teaches nothing and is skipped"))
                continue
            }
            result.append(SentencePair(before: b, after: a, source: "\(path):\(number)"))
        }
        return result
    }
}

/// 64-bit FNV-1a, for seeded splits and hash keys that must be the same in every run.
enum FNV1a {
    static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
