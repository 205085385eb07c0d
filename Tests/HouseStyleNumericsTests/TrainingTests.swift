import Foundation
import Testing
@testable import HouseStyleNumerics

/// Short on-voice (plain, direct) and off-voice (wordy, formal) sentences written for these tests.
enum VoiceSamples {
    static let onVoice = [
        "We fixed the bug, so you can upload files again.",
        "Tap Save and you're done.",
        "Need help? Just ask us.",
        "Your invoice is ready to download.",
    ]
    static let offVoice = [
        "It should be noted that the aforementioned defect has been remediated in its entirety.",
        "Pursuant to the relevant policy, users are hereby advised to initiate the save operation.",
        "In the event that assistance is required, correspondence may be directed to the department.",
        "The invoice documentation has been generated and is available for retrieval at this time.",
    ]
}

@Suite(.enabled(if: TestModel.isAvailable, TestModel.skipMessage), .serialized)
struct TrainingTests {
    @Test func encoderBackwardMatchesFiniteDifferencesOfTheWholeModel() throws {
        let encoder = try #require(TestModel.encoder)
        let model = VoiceModel(encoder: encoder, rank: 2, alpha: 4)
        model.initialise(seed: 11)
        // Non-zero B (so A has a gradient) and a large head (so the loss is sensitive).
        var g = SeededGenerator(seed: 12)
        for view in model.store.views {
            let p = model.store.values.pointer + view.offset
            if view.name.hasSuffix("lora_B.weight") { for i in 0..<view.count { p[i] = g.uniform(0.2) } }
            if view.name == VoiceModel.headWeightName { for i in 0..<view.count { p[i] = g.uniform(0.15) } }
        }
        let batch = PackedBatch(["Tap Save and you're done.", "The invoice has been generated."].map { encoder.tokenizer.encode($0) })
        let labels: [Float] = [0, 1]
        model.store.zeroGradients()
        _ = model.lossAndAccumulateGradients(batch, labels: labels)
        func loss() -> Double {
            Double(Layers.binaryCrossEntropy(logits: model.logits(batch), labels: labels, dLogits: nil, count: 2))
        }
        let probes: [(String, Int)] = [
            (VoiceModel.queryName(0, "A"), 5), (VoiceModel.queryName(3, "B"), 100), (VoiceModel.valueName(5, "A"), 300),
            (VoiceModel.valueName(0, "B"), 17), (VoiceModel.valueName(2, "A"), 700), (VoiceModel.headWeightName, 10),
            (VoiceModel.headBiasName, 0),
        ]
        for (name, index) in probes {
            let p = model.store.value(name) + index
            let original = p.pointee, step: Float = 2e-2
            p.pointee = original + step
            let plus = loss()
            p.pointee = original - step
            let minus = loss()
            p.pointee = original
            let numeric = Float((plus - minus) / Double(2 * step))
            let exact = model.store.gradient(name)[index]
            #expect(abs(numeric - exact) <= 2e-4 + 3e-2 * abs(exact), "\(name)[\(index)]: finite difference \(numeric), backward \(exact)")
            #expect(abs(exact) > 1e-4, "\(name)[\(index)]: the probe must see a gradient")
        }
    }

    /// Stopping the backward pass at the lowest trained layer (and keeping no activations below
    /// it) gives the trained layers and the head the gradients the full backward pass gives them,
    /// and the frozen layers none.
    @Test(arguments: [1, 3, 5])
    func backwardStoppingAtTheLowestTrainedLayerGivesTheSameGradients(lowest: Int) throws {
        let encoder = try #require(TestModel.encoder)
        func gradients(lowestTrainedLayer: Int) -> (values: [Float], model: VoiceModel) {
            let model = VoiceModel(encoder: encoder, rank: 2, alpha: 4)
            model.initialise(seed: 11)
            var g = SeededGenerator(seed: 12)
            for view in model.store.views where view.name.hasSuffix("lora_B.weight") || view.name == VoiceModel.headWeightName {
                let p = model.store.values.pointer + view.offset
                for i in 0..<view.count { p[i] = g.uniform(0.2) }
            }
            model.lowestTrainedLayer = lowestTrainedLayer
            let batch = PackedBatch(["Tap Save and you're done.", "The invoice has been generated and is ready.", "Ask us."]
                .map { encoder.tokenizer.encode($0) })
            model.store.zeroGradients()
            _ = model.lossAndAccumulateGradients(batch, labels: [0, 1, 1])
            return (Array(UnsafeBufferPointer(start: model.store.gradients.pointer, count: model.store.count)), model)
        }
        let full = gradients(lowestTrainedLayer: 0), partial = gradients(lowestTrainedLayer: lowest)
        var compared = 0
        for view in full.model.store.views {
            let range = view.offset..<(view.offset + view.count)
            if partial.model.isTrained(view) {
                let scale = full.values[range].map(abs).max() ?? 0
                #expect(scale > 0, "\(view.name): the full pass must see a gradient")
                for i in range {
                    #expect(abs(full.values[i] - partial.values[i]) <= 1e-6 * scale, "\(view.name)[\(i - view.offset)]")
                }
                compared += 1
            } else {
                #expect(partial.values[range].allSatisfy { $0 == 0 }, "\(view.name) is frozen: no gradient")
            }
        }
        #expect(compared == 4 * (encoder.config.layerCount - lowest) + 2)
    }

    /// With `adaptedLayers`, training changes the adapters of the top layers and the head only:
    /// the lower adapters keep the initial adapter's values bit for bit (no weight decay either).
    @Test func trainingTheTopLayersLeavesTheLowerAdaptersAlone() throws {
        let encoder = try #require(TestModel.encoder)
        var configuration = Self.smallConfiguration()
        configuration.epochs = 2
        let trainer = AdapterTrainer(encoder: encoder)
        let start = try trainer.train(onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration)
        configuration.adaptedLayers = 2
        let adapter = try trainer.train(onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration,
                                        initialAdapter: start)
        let lowest = encoder.config.layerCount - 2
        for (name, tensor) in adapter.tensors {
            let layer = name.hasPrefix("encoder.layer.") ? Int(name.dropFirst("encoder.layer.".count).prefix { $0.isNumber }) : nil
            if let layer, layer < lowest {
                #expect(tensor == start.tensors[name], "\(name) is frozen")
            } else {
                #expect(tensor != start.tensors[name], "\(name) is trained")
            }
        }
        configuration.adaptedLayers = 7
        #expect(throws: EncoderError.self) {
            try trainer.train(onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration)
        }
        configuration.adaptedLayers = 0
        #expect(throws: EncoderError.self) {
            try trainer.train(onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration)
        }
    }

    static func smallConfiguration(seed: UInt64 = 7) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.rank = 4
        configuration.alpha = 8
        configuration.epochs = 8
        configuration.batchSize = 4
        configuration.learningRate = 5e-3
        configuration.warmupFraction = 0.1
        configuration.seed = seed
        return configuration
    }

    @Test func fineTuningLowersTheLossAndSeparatesTheVoices() throws {
        let encoder = try #require(TestModel.encoder)
        var steps: [TrainingProgress] = []
        let adapter = try AdapterTrainer(encoder: encoder).train(
            onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: Self.smallConfiguration(),
            progress: { steps.append($0) })
        #expect(steps.count == 16)
        #expect(steps.map(\.step) == Array(1...16))
        #expect(adapter.trainingLosses == steps.map(\.loss))
        let losses = adapter.trainingLosses
        let early = (losses[0] + losses[1]) / 2, late = (losses[14] + losses[15]) / 2
        #expect(late < early * 0.5, "loss went from \(early) to \(late)")
        let scorer = try VoiceScorer(encoder: encoder, adapter: adapter)
        let on = scorer.scores(VoiceSamples.onVoice), off = scorer.scores(VoiceSamples.offVoice)
        #expect(on.min()! > off.max()!, "on-voice \(on), off-voice \(off)")
    }

    @Test func trainingTwiceWithOneSeedGivesIdenticalBytes() throws {
        let encoder = try #require(TestModel.encoder)
        var configuration = Self.smallConfiguration()
        configuration.epochs = 2
        let trainer = AdapterTrainer(encoder: encoder)
        let first = try trainer.train(onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration)
        let second = try trainer.train(onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration)
        #expect(first.serialized() == second.serialized())
        configuration.seed = 8
        let other = try trainer.train(onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration)
        #expect(other.serialized() != first.serialized())
    }

    @Test func adapterRoundTripsThroughSafetensorsAndScoresTheSame() throws {
        let encoder = try #require(TestModel.encoder)
        var configuration = Self.smallConfiguration()
        configuration.epochs = 1
        let adapter = try AdapterTrainer(encoder: encoder).train(
            onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration)
        #expect(adapter.tensors.count == 6 * 4 + 2)
        #expect(adapter.tensors["encoder.layer.0.attention.self.query.lora_A.weight"]?.shape == [4, 384])
        #expect(adapter.tensors["encoder.layer.5.attention.self.value.lora_B.weight"]?.shape == [384, 4])
        let path = try temporaryFile([], name: "voice.safetensors")
        try adapter.save(to: path)
        let loaded = try Adapter(contentsOf: path)
        #expect(loaded == adapter)
        let sentences = VoiceSamples.onVoice + VoiceSamples.offVoice
        let scores = try VoiceScorer(encoder: encoder, adapter: adapter).scores(sentences)
        #expect(try VoiceScorer(encoder: encoder, adapter: loaded).scores(sentences) == scores)
        // Other batch sizes change only BLAS rounding.
        let inThrees = try VoiceScorer(encoder: encoder, adapter: loaded).scores(sentences, batchSize: 3)
        #expect(zip(scores, inThrees).map { abs($0 - $1) }.max()! < 1e-5)
        // Continuing from a saved adapter (a parent style's) starts from its parameters.
        let continued = try AdapterTrainer(encoder: encoder).train(
            onVoice: VoiceSamples.onVoice, offVoice: VoiceSamples.offVoice, configuration: configuration, initialAdapter: loaded)
        #expect(continued.trainingLosses[0] < adapter.trainingLosses[0])
    }

    @Test func incompatibleAdaptersAndEmptyCorporaAreRejected() throws {
        let encoder = try #require(TestModel.encoder)
        #expect(throws: EncoderError.insufficientTrainingData(onVoice: 2, offVoice: 0)) {
            try AdapterTrainer(encoder: encoder).train(onVoice: ["a", "b"], offVoice: [])
        }
        var configuration = TrainingConfiguration()
        configuration.warmupFraction = 1.5
        #expect(throws: EncoderError.invalidTrainingSetting(name: "warmup_fraction", value: "1.5", reason: "must be from 0 to 1")) {
            try AdapterTrainer(encoder: encoder).train(onVoice: ["a"], offVoice: ["b"], configuration: configuration)
        }
        #expect(EncoderError.invalidTrainingSetting(name: "epochs", value: "0", reason: "must be at least 1").description
            == "training setting 'epochs' is 0 but must be at least 1")
        var writer = SafeTensorsWriter()
        writer.metadata = ["format": "housestyle-adapter", "format_version": "2"]
        writer.add("head.bias", shape: [1], values: [0])
        let future = try temporaryFile(writer.serialized())
        #expect(throws: EncoderError.incompatibleAdapter(path: future, reason: "format version 2, this HouseStyle reads version 1")) {
            try Adapter(contentsOf: future)
        }
        // A damaged adapter (NaN weights) is refused when read, not used silently.
        var damaged = SafeTensorsWriter()
        damaged.metadata = ["format": "housestyle-adapter", "format_version": "1", "base_model": BaseModelLocator.modelID,
                            "lora_rank": "2", "lora_alpha": "4"]
        damaged.add("head.bias", shape: [2], values: [0, .nan])
        let nan = try temporaryFile(damaged.serialized())
        #expect(throws: EncoderError.nonFiniteValues(path: nan, tensor: "head.bias")) { try Adapter(contentsOf: nan) }
        let wrongShape = Adapter(baseModel: BaseModelLocator.modelID, rank: 2, alpha: 4,
                                 tensors: [VoiceModel.headBiasName: .init(shape: [2], values: [0, 0])], trainingLosses: [])
        #expect(throws: EncoderError.incompatibleAdapter(path: "adapter", reason: "has 1 tensors, expected 26")) {
            try VoiceScorer(encoder: encoder, adapter: wrongShape)
        }
        #expect(EncoderError.incompatibleAdapter(path: "m.safetensors", reason: "x").description
            == "m.safetensors: incompatible adapter: x; re-train it with `housestyle train`")
    }
}
