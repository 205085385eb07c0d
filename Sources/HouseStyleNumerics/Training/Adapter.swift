import Foundation

/// A fine-tuned voice adapter: LoRA matrices for the encoder's query and value projections and the
/// voice head, saved as a safetensors file whose metadata names the format, its version and the
/// base model.
public struct Adapter: Sendable, Equatable {
    public static let format = "housestyle-adapter"
    public static let formatVersion = 1

    public struct Tensor: Sendable, Equatable {
        public let shape: [Int]
        public let values: [Float]
    }

    public let baseModel: String
    public let rank: Int
    public let alpha: Float
    /// Parameters by name (`encoder.layer.{l}.attention.self.{query,value}.lora_{A,B}.weight`,
    /// `head.weight`, `head.bias`).
    public let tensors: [String: Tensor]
    /// Mean loss of each training step, oldest first.
    public let trainingLosses: [Float]

    public init(baseModel: String, rank: Int, alpha: Float, tensors: [String: Tensor], trainingLosses: [Float]) {
        (self.baseModel, self.rank, self.alpha, self.tensors, self.trainingLosses) = (baseModel, rank, alpha, tensors, trainingLosses)
    }

    /// The file's bytes; the same adapter always gives the same bytes.
    public func serialized() -> [UInt8] {
        var writer = SafeTensorsWriter()
        writer.metadata = [
            "format": Self.format,
            "format_version": String(Self.formatVersion),
            "base_model": baseModel,
            "lora_rank": String(rank),
            "lora_alpha": "\(alpha)",
            "lora_targets": "query,value",
            "training_losses": trainingLosses.map { "\($0)" }.joined(separator: ","),
        ]
        for (name, tensor) in tensors { writer.add(name, shape: tensor.shape, values: tensor.values) }
        return writer.serialized()
    }

    /// Saves atomically to `path`.
    public func save(to path: String) throws {
        do { try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw EncoderError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Loads an adapter saved by `save(to:)`.
    /// - Throws: `EncoderError.incompatibleAdapter` for another format or version, and the safetensors errors.
    public init(contentsOf path: String) throws {
        let file = try SafeTensorsFile(path: path)
        let metadata = file.metadata
        guard metadata["format"] == Self.format else {
            throw EncoderError.incompatibleAdapter(path: path, reason: "not a HouseStyle adapter (format '\(metadata["format"] ?? "none")')")
        }
        guard metadata["format_version"] == String(Self.formatVersion) else {
            throw EncoderError.incompatibleAdapter(
                path: path, reason: "format version \(metadata["format_version"] ?? "none"), this HouseStyle reads version \(Self.formatVersion)")
        }
        guard let base = metadata["base_model"], let rankText = metadata["lora_rank"], let rank = Int(rankText), rank > 0,
              let alphaText = metadata["lora_alpha"], let alpha = Float(alphaText) else {
            throw EncoderError.incompatibleAdapter(path: path, reason: "metadata lacks base_model, lora_rank or lora_alpha")
        }
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            let tensor = try file.tensor(name)
            let values = try tensor.floats()
            guard values.allSatisfy(\.isFinite) else { throw EncoderError.nonFiniteValues(path: path, tensor: name) }
            tensors[name] = Tensor(shape: tensor.shape, values: values)
        }
        let losses = (metadata["training_losses"] ?? "").split(separator: ",").compactMap { Float(String($0)) }
        self.init(baseModel: base, rank: rank, alpha: alpha, tensors: tensors, trainingLosses: losses)
    }
}

extension VoiceModel {
    /// The current parameters as an adapter.
    func adapter(trainingLosses: [Float]) -> Adapter {
        var tensors: [String: Adapter.Tensor] = [:]
        for view in store.views {
            tensors[view.name] = Adapter.Tensor(
                shape: view.shape, values: Array(UnsafeBufferPointer(start: store.values.pointer + view.offset, count: view.count)))
        }
        return Adapter(baseModel: BaseModelLocator.modelID, rank: rank, alpha: alpha, tensors: tensors, trainingLosses: trainingLosses)
    }

    /// Copies `adapter`'s parameters in, after checking it fits this model.
    func load(_ adapter: Adapter, source: String) throws {
        guard adapter.baseModel == BaseModelLocator.modelID else {
            throw EncoderError.incompatibleAdapter(path: source, reason: "trained on base model \(adapter.baseModel), not \(BaseModelLocator.modelID)")
        }
        guard adapter.rank == rank, adapter.alpha == alpha else {
            throw EncoderError.incompatibleAdapter(path: source, reason: "LoRA rank \(adapter.rank) alpha \(adapter.alpha), expected rank \(rank) alpha \(alpha)")
        }
        guard adapter.tensors.count == store.views.count else {
            throw EncoderError.incompatibleAdapter(path: source, reason: "has \(adapter.tensors.count) tensors, expected \(store.views.count)")
        }
        for view in store.views {
            guard let tensor = adapter.tensors[view.name] else {
                throw EncoderError.incompatibleAdapter(path: source, reason: "tensor '\(view.name)' is missing")
            }
            guard tensor.shape == view.shape else {
                throw EncoderError.incompatibleAdapter(path: source, reason: "tensor '\(view.name)' has shape \(tensor.shape), expected \(view.shape)")
            }
            tensor.values.withUnsafeBufferPointer { (store.values.pointer + view.offset).update(from: $0.baseAddress!, count: view.count) }
        }
    }
}
