import ArgumentParser
import MIDI
import Processing
import Rendering
import Support

/// `tunesmith plugins`: lists every registered post-processor and renderer with their parameters and defaults.
struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the registered post-processors and renderers with their parameters and defaults."
    )

    func run() throws {
        var text = "Post-processors (--process name:key=value,key=value; stages run in the order given):\n"
        text += ProcessorListing.text(.standard)
        text += "\nRenderers (chosen by the output's extension):\n"
        text += RendererListing.text(.standard)
        StandardStream.write(text, to: StandardStream.output)
    }
}
