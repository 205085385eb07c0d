/// Writing YAML scalars, for the style files housestyle writes (`init`, `import vale`).
public enum YAMLEmitter {
    /// `text` as a double-quoted scalar that reads back as the same string: `"` and `\` escaped,
    /// and every character YAML does not allow as written (C0 controls, DEL) as an escape.
    public static func doubleQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: quoted += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
