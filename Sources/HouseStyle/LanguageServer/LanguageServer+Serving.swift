import Foundation

extension LanguageServer {
    /// Serves one client over file descriptors (`housestyle lsp`: stdin and stdout) until it
    /// sends `exit` or its input ends, and returns the exit status (0 after `shutdown` and `exit`).
    ///
    /// Messages are handled in order as they arrive; documents are checked when no more input is
    /// waiting, so that a burst of keystrokes is checked once, with its last text (and at least
    /// every `longestWait` seconds, should the input never pause). Writing stops
    /// when the client has gone (the caller should ignore SIGPIPE, or the process ends with it).
    public static func serve(options: Options, input: Int32, output: Int32, longestWait: TimeInterval = 0.5) -> Int32 {
        var writable = true
        let server = LanguageServer(options: options) { json in
            guard writable else { return }
            writable = writeAll(MessageFramer.frame(json), to: output)
        }
        var framer = MessageFramer()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var lastPublished = Date()
        while writable {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            framer.append(chunk[0..<count])
            while let frame = framer.next() {
                switch frame {
                case .message(let content): server.receive(content)
                case .malformedHeader(let reason): server.receiveMalformedHeader(reason)
                }
                if let status = server.exitStatus { return status }
            }
            if !framer.hasPartialMessage && (!isReadable(input) || Date().timeIntervalSince(lastPublished) > longestWait) {
                server.publishPending()
                lastPublished = Date()
            }
        }
        return server.statusAtEndOfInput
    }

    /// Whether `descriptor` has input (or its end) waiting, without blocking.
    private static func isReadable(_ descriptor: Int32) -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&request, 1, 0)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    /// Writes all of `data`; false when the descriptor cannot be written (the client has gone).
    private static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }
}
