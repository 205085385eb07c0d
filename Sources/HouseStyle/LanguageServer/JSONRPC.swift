import Foundation

/// A JSON-RPC 2.0 error the server answers a request with.
struct ResponseError: Error, Codable, Hashable, Sendable {
    /// The codes of JSON-RPC 2.0 and LSP 3.17 that the server uses.
    enum Code: Int, Codable, Sendable {
        case parseError = -32700
        case invalidRequest = -32600
        case methodNotFound = -32601
        case invalidParams = -32602
        case serverNotInitialized = -32002
    }

    var code: Code
    var message: String

    static func parseError(_ message: String) -> Self { .init(code: .parseError, message: message) }
    static func invalidRequest(_ message: String) -> Self { .init(code: .invalidRequest, message: message) }
    static func methodNotFound(_ method: String) -> Self { .init(code: .methodNotFound, message: "unknown method '\(method)'") }
    static func invalidParams(_ message: String) -> Self { .init(code: .invalidParams, message: message) }
}

/// One message from the client, once its envelope is checked.
enum IncomingMessage: Sendable {
    /// A request: it gets exactly one response, with its `id`.
    case request(id: JSONValue, method: String, params: JSONValue?)
    /// A notification: no response, whatever happens.
    case notification(method: String, params: JSONValue?)
    /// A response to a request of the server's (`client/registerCapability`).
    case response(id: JSONValue)

    /// Reads the content of one framed message.
    /// - Throws: `IncomingMessage.Invalid` with the error to answer and the id to answer it with
    ///   (null when the id could not be read), or nil as the error when the message is a
    ///   notification, which is never answered.
    static func parse(_ content: Data) throws(Invalid) -> IncomingMessage {
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: content) } catch {
            throw Invalid(id: .null, error: .parseError("the message is not valid JSON: \(Self.describe(error))"))
        }
        guard case .object(let members) = value else {
            let what = if case .array = value { "a batch (a JSON array); LSP sends one message at a time" } else { "not a JSON object" }
            throw Invalid(id: .null, error: .invalidRequest("the message is \(what)"))
        }
        let id = members["id"]
        if let id {
            switch id {
            case .int, .string: break
            default: throw Invalid(id: .null, error: .invalidRequest("the id must be a number or a string"))
            }
        }
        guard let methodValue = members["method"] else {
            if let id, members["result"] != nil || members["error"] != nil { return .response(id: id) }
            throw Invalid(id: id ?? .null, error: .invalidRequest("the message has no method"))
        }
        guard case .string(let method) = methodValue else {
            throw Invalid(id: id ?? .null, error: .invalidRequest("the method must be a string"))
        }
        guard members["jsonrpc"] == .string("2.0") else {
            throw Invalid(id: id ?? .null, error: .invalidRequest("'jsonrpc' must be \"2.0\""), isNotification: id == nil)
        }
        let params = members["params"]
        if let params {
            switch params {
            case .object, .array: break
            default:
                throw Invalid(id: id ?? .null, error: .invalidParams("'params' of '\(method)' must be an object or an array"),
                              isNotification: id == nil)
            }
        }
        if let id { return .request(id: id, method: method, params: params) }
        return .notification(method: method, params: params)
    }

    /// Why a message was refused, and the id to answer with.
    struct Invalid: Error, Sendable {
        var id: JSONValue
        var error: ResponseError
        /// A notification is never answered: the error is only logged.
        var isNotification = false
    }

    /// A decoding error in a sentence: what was wrong and where.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return keys.isEmpty ? "" : " at '\(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "'\(key.stringValue)' is missing\(path(context))"
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "expected \(type), found null\(path(context))"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return (underlying ?? context.debugDescription) + path(context)
        @unknown default: return "\(error)"
        }
    }
}

/// A message the server sends: a response, or a notification or request of its own.
struct OutgoingMessage: Encodable {
    enum Body {
        case result(id: JSONValue, (any Encodable)?)
        case error(id: JSONValue, ResponseError)
        case notification(method: String, params: any Encodable)
        case request(id: JSONValue, method: String, params: any Encodable)
    }

    var body: Body

    private enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error, method, params }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        switch body {
        case .result(let id, let result):
            try container.encode(id, forKey: .id)
            // A successful response always has `result`, null when there is nothing to say.
            if let result { try container.encode(result, forKey: .result) } else { try container.encodeNil(forKey: .result) }
        case .error(let id, let error):
            try container.encode(id, forKey: .id)
            try container.encode(error, forKey: .error)
        case .notification(let method, let params):
            try container.encode(method, forKey: .method)
            try container.encode(params, forKey: .params)
        case .request(let id, let method, let params):
            try container.encode(id, forKey: .id)
            try container.encode(method, forKey: .method)
            try container.encode(params, forKey: .params)
        }
    }

    /// The message's JSON: keys sorted, slashes as they are.
    func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every value the server sends is made of strings, numbers, lists and keyed structs.
        do { return try encoder.encode(self) } catch { preconditionFailure("cannot encode a message: \(error)") }
    }
}
