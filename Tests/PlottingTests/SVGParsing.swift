import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The elements of an SVG document as parsed by Foundation's XML parser (a failed parse is a test failure).
final class ParsedSVG: NSObject, XMLParserDelegate {
    /// One element: its name, attributes and direct text.
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private(set) var error: Error?

    /// Parses `svg`; fails the calling test when it is not well-formed XML.
    init(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        let ok = parser.parse()
        if !ok { error = parser.parserError }
        XCTAssertTrue(ok, "not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        stack.append(elements.count)
        elements.append(Element(name: name, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = stack.last { elements[i].text += string }
    }

    /// The root element's name.
    var root: String? { elements.first?.name }

    /// Elements with a given class attribute.
    func elements(withClass c: String) -> [Element] { elements.filter { $0.attributes["class"] == c } }

    /// A numeric attribute.
    static func number(_ e: Element, _ name: String) -> Double { Double(e.attributes[name] ?? "") ?? .nan }
}
