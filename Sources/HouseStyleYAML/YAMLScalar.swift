/// How a scalar was written. Only plain scalars are typed (null, bool, number); quoted and block
/// scalars are always strings, so `"1"` and `'yes'` stay strings.
public enum YAMLScalarStyle: String, Sendable, Hashable, Codable {
    case plain
    case singleQuoted = "single-quoted"
    case doubleQuoted = "double-quoted"
    case literal
    case folded
}

/// The typed value of a scalar, resolved with the YAML 1.2 core schema.
///
/// `yes`, `no`, `on` and `off` are strings (YAML 1.1 read them as booleans; 1.2 does not).
public enum YAMLValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
}

/// A scalar: its text as written (after escapes and folding) and the style it was written in.
public struct YAMLScalar: Sendable, Hashable {
    /// The text of the scalar.
    public var text: String
    public var style: YAMLScalarStyle
    /// The explicit tag, expanded (`tag:yaml.org,2002:str`), or `!` for the non-specific tag;
    /// `nil` when the scalar has none.
    public var tag: String?

    public init(text: String, style: YAMLScalarStyle = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }

    /// The value under the YAML 1.2 core schema. An explicit tag wins (`!!str 1` is a string);
    /// a quoted or block scalar, or one with the non-specific tag `!`, is a string.
    public var value: YAMLValue {
        switch tag {
        case "tag:yaml.org,2002:str", "!": return .string(text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool": return Self.bool(text).map(YAMLValue.bool) ?? .string(text)
        case "tag:yaml.org,2002:int": return Self.int(text).map(YAMLValue.int) ?? .string(text)
        case "tag:yaml.org,2002:float":
            return Self.double(text).map(YAMLValue.double) ?? Self.int(text).map { .double(Double($0)) } ?? .string(text)
        default: break
        }
        guard style == .plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        if let bool = Self.bool(text) { return .bool(bool) }
        if let int = Self.int(text) { return .int(int) }
        if let double = Self.double(text) { return .double(double) }
        return .string(text)
    }

    private static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// Core schema integers: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
    private static func int(_ text: String) -> Int? {
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        var digits = Substring(text)
        if let first = digits.first, first == "+" || first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    /// Core schema floats: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `.nan`.
    private static func double(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            var count = 0
            while let byte = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                bytes = bytes.dropFirst()
                count += 1
            }
            return count
        }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if let byte = bytes.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return nil }
        }
        guard bytes.isEmpty else { return nil }
        return Double(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }
}
