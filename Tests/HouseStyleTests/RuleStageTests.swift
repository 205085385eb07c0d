import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// One rule stage at work: a style, an input, the exact output and the exact finding messages.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var style: String
    var input: String
    var expected: String
    var findings: [String]
    var path: String

    init(_ style: String, _ input: String, _ expected: String, findings: [String] = [], path: String = "case.md") {
        self.style = style
        self.input = input
        self.expected = expected
        self.findings = findings
        self.path = path
    }

    var testDescription: String { "\(style.replacingOccurrences(of: "\n", with: " ")) | \(input)" }
}

/// Runs the case through the whole pipeline, checks output and findings, then checks that
/// rewriting the output changes nothing more (idempotence).
func check(_ c: RuleCase) throws {
    let pipeline = try Pipeline(style: try makeStyle(c.style), resources: testResources)
    let result = try pipeline.rewrite(c.input, path: c.path)
    #expect(result.text == c.expected)
    #expect(result.findings.map(\.message) == c.findings)
    let again = try pipeline.rewrite(result.text, path: c.path)
    #expect(again.edits.isEmpty, "not idempotent: \(again.text)")
    #expect(again.text == result.text)
}

// MARK: - terms

private let occupant = "terms:\n  - use: occupant\n    instead_of: [tenant]"
private let acmeCloud = "terms:\n  - use: Acme Cloud\n    instead_of: [acme cloud, AcmeCloud]"
private let use = "terms:\n  - use: use\n    instead_of: [utilize, make use of]"
private let workspace = "terms:\n  - use: workspace\n    instead_of: [tenant]"

let termsCases: [RuleCase] = [
    // Whole words only.
    RuleCase(occupant, "The tenant said maintenant.", "The occupant said maintenant."),
    RuleCase(occupant, "Tenantry and subtenant stay.", "Tenantry and subtenant stay."),
    // Plural and possessive endings carry over.
    RuleCase(occupant, "Two tenants; the tenant's key; the tenants' keys.", "Two occupants; the occupant's key; the occupants' keys."),
    RuleCase(occupant, "The tenant\u{2019}s key.", "The occupant\u{2019}s key."),
    RuleCase(acmeCloud, "Both acme clouds and AcmeCloud's regions.", "Both Acme Clouds and Acme Cloud's regions."),
    // A multi-word variant matches across a line break, not across a blank line.
    RuleCase(acmeCloud, "Deploy to acme\ncloud today.", "Deploy to Acme\nCloud today."),
    RuleCase(acmeCloud, "Deploy to acme\n\ncloud today.", "Deploy to acme\n\ncloud today."),
    // Never inside code, link destinations, URLs or fenced code.
    RuleCase(acmeCloud, "Run `acme cloud` or see [acme cloud](https://x.test/acmecloud).",
             "Run `acme cloud` or see [Acme Cloud](https://x.test/acmecloud)."),
    RuleCase(acmeCloud, "Go to https://acmecloud.test/acmecloud now.", "Go to https://acmecloud.test/acmecloud now."),
    RuleCase(acmeCloud, "```\nacme cloud\n```\n\nacme cloud is here.\n", "```\nacme cloud\n```\n\nAcme Cloud is here.\n"),
    // Sentence-initial capitalisation of a lower-case preferred form.
    RuleCase(use, "Utilize the API. We utilize it; make use of it.", "Use the API. We use it; use it."),
    RuleCase(use, "Make use of caching.", "Use caching."),
    // ... but not after a colon or an abbreviation's period.
    RuleCase(use, "Two ways: utilize the API, e.g. utilize caching. Utilize both.", "Two ways: use the API, e.g. use caching. Use both."),
    RuleCase(use, "See Fig. 2. I.e. utilize it; Dr. utilize it.", "See Fig. 2. I.e. use it; Dr. use it."),
    // A list item starts a sentence, whichever its marker; a number with a parenthesis mid-sentence does not.
    RuleCase(use, "1. utilize it\n2) utilize it\n- utilize it\n\nIn step 2) utilize it.\n",
             "1. Use it\n2) Use it\n- Use it\n\nIn step 2) use it.\n"),
    // Case-insensitive by default; case_sensitive matches only as written (or sentence-capitalised).
    RuleCase("terms:\n  - use: PostgreSQL\n    instead_of: [postgres]", "Run postgres. Postgres works. POSTGRES too.",
             "Run PostgreSQL. PostgreSQL works. PostgreSQL too."),
    // A lower-case preferred form follows the matched casing: ALL CAPS stays ALL CAPS,
    // Capitalised stays Capitalised (mid-sentence too), endings included.
    RuleCase(workspace, "# TENANT SETTINGS\n\nEach TENANT'S data and the Tenant Portal of a tenant.\n",
             "# WORKSPACE SETTINGS\n\nEach WORKSPACE'S data and the Workspace Portal of a workspace.\n"),
    RuleCase(workspace, "TENANTS and Tenants.", "WORKSPACES and Workspaces."),
    RuleCase(use, "MAKE USE OF it; Make use of it.", "USE it; Use it."),
    // A preferred form with capitals of its own stays as written, whatever the text's casing.
    RuleCase(acmeCloud, "ACME CLOUD and ACMECLOUD'S regions.", "Acme Cloud and Acme Cloud's regions."),
    RuleCase("terms:\n  - use: PostgreSQL\n    instead_of: [postgres]\n    case_sensitive: true",
             "Run postgres. Postgres works. POSTGRES too.", "Run PostgreSQL. PostgreSQL works. POSTGRES too."),
    RuleCase("terms:\n  - use: GitHub\n    instead_of: [Github]\n    case_sensitive: true", "Github, not github.", "GitHub, not github."),
]

@Test("terms", arguments: termsCases) func terms(_ c: RuleCase) throws { try check(c) }

// MARK: - avoid

let avoidCases: [RuleCase] = [
    // Removal of fillers.
    RuleCase("avoid: [simply]", "Simply click Save.", "Click Save."),
    RuleCase("avoid: [very]", "It is very fast.", "It is fast."),
    RuleCase("avoid: [clearly]", "It is, clearly, fast.", "It is fast."),
    RuleCase("avoid: [obviously]", "Obviously, it works.", "It works."),
    RuleCase("avoid: [just]", "We just ship. Just ship.", "We ship. Ship."),
    // Unsafe removal: last word of a clause or sentence -> finding.
    RuleCase("avoid: [really]", "Is it fast, really?", "Is it fast, really?", findings: ["avoid 'really'"]),
    RuleCase("avoid: [very]", "It was fast. Very.", "It was fast. Very.", findings: ["avoid 'Very'"]),
    // Words that are not fillers are reported; `instead` replaces them, keeping case.
    RuleCase("avoid: [utilize]", "We utilize caching.", "We utilize caching.", findings: ["avoid 'utilize'"]),
    RuleCase("avoid:\n  - word: leverage\n    instead: use", "Leverage caching; we leverage it.", "Use caching; we use it."),
    RuleCase("avoid:\n  - word: leverage\n    instead: use", "It leverages caching.", "It leverages caching.",
             findings: ["avoid 'leverages'; consider 'use'"]),
    // Never inside code.
    RuleCase("avoid: [simply]", "Run `simply run`.", "Run `simply run`."),
    // After a negation removal changes the meaning: "not just cats" is not "not cats".
    RuleCase("avoid: [just]", "Not just cats but dogs.", "Not just cats but dogs.", findings: ["avoid 'just'"]),
    RuleCase("avoid: [very]", "It isn't very good; it is not very fast.", "It isn't very good; it is not very fast.",
             findings: ["avoid 'very'", "avoid 'very'"]),
    RuleCase("avoid: [really]", "We don\u{2019}t really know.", "We don\u{2019}t really know.", findings: ["avoid 'really'"]),
    // Before a coordinating conjunction or phrase-ending punctuation removal breaks the sentence.
    RuleCase("avoid: [simply]", "He explained it simply and clearly.", "He explained it simply and clearly.",
             findings: ["avoid 'simply'"]),
    RuleCase("avoid: [simply, clearly]", "Say it clearly or simply; simply, we ship.", "Say it clearly or simply; simply, we ship.",
             findings: ["avoid 'clearly'", "avoid 'simply'", "avoid 'simply'"]),
    RuleCase("avoid: [really]", "It is fast but really nor slow.", "It is fast but really nor slow.", findings: ["avoid 'really'"]),
    RuleCase("avoid: [simply]", "Say it simply: go. Go (simply) now. Go simply\u{2014}now. Go simply - now. It works simply!",
             "Say it simply: go. Go (simply) now. Go simply\u{2014}now. Go simply - now. It works simply!",
             findings: ["avoid 'simply'", "avoid 'simply'", "avoid 'simply'", "avoid 'simply'", "avoid 'simply'"]),
    // After a determiner "just" and "very" may be adjectives: reported, not removed.
    RuleCase("avoid: [just]", "It is a just cause.", "It is a just cause.", findings: ["avoid 'just'"]),
    RuleCase("avoid: [very]", "The very thing; a very good idea.", "The very thing; a very good idea.",
             findings: ["avoid 'very'", "avoid 'very'"]),
    // An adverb with no adjective sense after a determiner modifies the next word: removed.
    RuleCase("avoid: [really]", "It is a really good idea.", "It is a good idea."),
    // Before a negation: "Obviously not." is not "Not.".
    RuleCase("avoid: [obviously]", "Obviously not.", "Obviously not.", findings: ["avoid 'Obviously'"]),
    RuleCase("avoid: [simply]", "It simply never works.", "It simply never works.", findings: ["avoid 'simply'"]),
    // The good removals still work, with the sentence-initial capital.
    RuleCase("avoid: [simply]", "Simply log in. Then simply log in.", "Log in. Then log in."),
    RuleCase("avoid: [just]", "Just don't.", "Don't."),
    // A byte-order mark at the start is no text: the sentence still starts after it.
    RuleCase("avoid: [simply]", "\u{FEFF}simply go", "\u{FEFF}Go"),
    RuleCase("avoid: [simply]", "simply go", "Go"),
    // Multi-word entries: reported, or replaced with `instead`, across flexible whitespace.
    RuleCase("avoid: [please be advised]", "Please be advised that we close. Please   be advised.",
             "Please be advised that we close. Please   be advised.",
             findings: ["avoid 'Please be advised'", "avoid 'Please be advised'"]),
    RuleCase("avoid:\n  - word: going forward\n    instead: from now on", "Going forward, we ship. We ship going\nforward.",
             "From now on, we ship. We ship from now\non."),
    RuleCase("avoid: [going forward]", "Going forwards is fine; going forward is not.", "Going forwards is fine; going forward is not.",
             findings: ["avoid 'going forward'"]),
    RuleCase("avoid: [in order to]", "Run `in order to` in order to test.", "Run `in order to` in order to test.",
             findings: ["avoid 'in order to'"]),
    // An abbreviation's period before a capital ends the sentence after all.
    RuleCase("avoid: [simply]", "We sell pears, etc. Simply click Save. At 5 p.m. simply wait.",
             "We sell pears, etc. Click Save. At 5 p.m. wait."),
]

@Test("avoid", arguments: avoidCases) func avoid(_ c: RuleCase) throws { try check(c) }

// MARK: - spelling

private let gb = "spelling: en-GB", us = "spelling: en-US"
private let meaningDependent = "Practice and practise, program and programme, license and licence, check, meter and metre, tire and tyre, draft."

let spellingCases: [RuleCase] = [
    RuleCase(gb, "Organize the color catalog.", "Organise the colour catalogue."),
    RuleCase(gb, "Color, COLOR, color's.", "Colour, COLOUR, colour's."),
    RuleCase(gb, "The color\u{2019}s hue.", "The colour\u{2019}s hue."),
    RuleCase(us, "Organise the colour catalogue.", "Organize the color catalog."),
    RuleCase(us, "Colour, COLOUR, colour's; the centre travelled.", "Color, COLOR, color's; the center traveled."),
    RuleCase(gb, meaningDependent, meaningDependent),
    RuleCase(us, meaningDependent, meaningDependent),
    RuleCase(gb, "Set `color` in [color](https://x.test/color).", "Set `color` in [colour](https://x.test/color)."),
]

@Test("spelling", arguments: spellingCases) func spelling(_ c: RuleCase) throws { try check(c) }

// MARK: - contractions

private let prefer = "contractions: prefer", avoidC = "contractions: avoid"

let contractionCases: [RuleCase] = [
    RuleCase(prefer, "Do not worry. We do not know.", "Don't worry. We don't know."),
    RuleCase(prefer, "It is fast.", "It's fast."),
    RuleCase(prefer, "I know what it is. I know what it is, too.", "I know what it is. I know what it is, too."),
    RuleCase(prefer, "Please let us know.", "Please let us know."),
    RuleCase(prefer, "I have seen it. I have a dog.", "I've seen it. I have a dog."),
    RuleCase(prefer, "You cannot go. Cannot.", "You can't go. Can't."),
    RuleCase(prefer, "Acme's tools are fast.", "Acme's tools are fast."),
    RuleCase(prefer, "DO NOT PANIC.", "DO NOT PANIC."),
    RuleCase(prefer, "Run `do not` now.", "Run `do not` now."),
    RuleCase(avoidC, "It's fast; its name is Acme.", "It is fast; its name is Acme."),
    RuleCase(avoidC, "It's been a year. It\u{2019}s been two.", "It has been a year. It has been two."),
    RuleCase(avoidC, "He'd better go.", "He had better go."),
    RuleCase(avoidC, "It won't. You can't.", "It will not. You cannot."),
    RuleCase(avoidC, "Don't panic. DON'T.", "Do not panic. DO NOT."),
    RuleCase(avoidC, "She'd like tea. She'd gone.", "She would like tea. She had gone."),
    RuleCase(avoidC, "She'd go.", "She'd go.", findings: ["'She'd' may stand for 'would' or 'had'; write it out"]),
    RuleCase(avoidC, "Acme's tools.", "Acme's tools."),
    RuleCase(avoidC, "Let's go.", "Let us go."),
    // Inverted questions: "not" goes after the subject pronoun.
    RuleCase(avoidC, "Won't you come?", "Will you not come?"),
    RuleCase(avoidC, "Why don't you stay?", "Why do you not stay?"),
    RuleCase(avoidC, "Isn't it red? It's red, isn't it?", "Is it not red? It is red, is it not?"),
    RuleCase(avoidC, "Can't we go? Aren't I right? But doesn't\nthere exist one?",
             "Can we not go? Am I not right? But does\nthere not exist one?"),
    RuleCase(avoidC, "WON'T YOU COME?", "WILL YOU NOT COME?"),
    // A subject before the contraction: a statement, expanded in place.
    RuleCase(avoidC, "It isn't you. We didn't they say.", "It is not you. We did not they say."),
    // A clause that opens with one but is no question, or a question with the order unclear: reported.
    RuleCase(avoidC, "Don't you dare! Is it true it isn't you? Who isn't there?", "Don't you dare! Is it true it isn't you? Who isn't there?",
             findings: ["'Don't you': 'not' goes after the subject when written out; write it out",
                        "'isn't you': 'not' goes after the subject when written out; write it out",
                        "'isn't there': 'not' goes after the subject when written out; write it out"]),
    RuleCase(avoidC, "What don't you like? Who doesn't she know?", "What do you not like? Who does she not know?"),
    // "'s" is "has" where "is" cannot be; before another participle it may be either: reported.
    RuleCase(avoidC, "She's been here. She's got it. It's never been done. It's had a year.",
             "She has been here. She has got it. It has never been done. It has had a year."),
    RuleCase(avoidC, "She's arrived. What's happened? She's tired. It's already gone.",
             "She's arrived. What's happened? She's tired. It's already gone.",
             findings: ["'She's' may stand for 'is' or 'has'; write it out", "'What's' may stand for 'is' or 'has'; write it out",
                        "'She's' may stand for 'is' or 'has'; write it out", "'It's' may stand for 'is' or 'has'; write it out"]),
    RuleCase(avoidC, "It's red. It's not red. It's indeed fast. What's new?", "It is red. It is not red. It is indeed fast. What is new?"),
    // "'d": "had" before a participle (regular ones too, after adverbs), "would" before a bare verb.
    RuleCase(avoidC, "She'd arrived. He'd never seen it. He'd just like tea.", "She had arrived. He had never seen it. He would just like tea."),
    // "come" is a bare verb and a participle: "would come" or "had come".
    RuleCase(avoidC, "He'd come.", "He'd come.", findings: ["'He'd' may stand for 'would' or 'had'; write it out"]),
]

@Test("contractions", arguments: contractionCases) func contractions(_ c: RuleCase) throws { try check(c) }

// MARK: - punctuation

private let em = "punctuation: { dashes: em }", en = "punctuation: { dashes: en }"
private let character = "punctuation: { ellipsis: character }", dots = "punctuation: { ellipsis: dots }"
private let oxford = "punctuation: { oxford_comma: true }", noOxford = "punctuation: { oxford_comma: false }"

let punctuationCases: [RuleCase] = [
    RuleCase(em, "Fast - and cheap.", "Fast\u{2014}and cheap."),
    RuleCase(em, "Fast -- and cheap. Fast--cheap.", "Fast\u{2014}and cheap. Fast\u{2014}cheap."),
    RuleCase(em, "A well-known, long-lived tool - fast.", "A well-known, long-lived tool\u{2014}fast."),
    // Maths and ranges are no clauses.
    RuleCase(em, "Pages 10-20 and x - y in `a - b`.", "Pages 10-20 and x - y in `a - b`."),
    // An opening quote before the hyphens, or a closing one after them, is not a clause boundary.
    RuleCase(em, "Use the \"--force\" flag; pass '--' to stop.", "Use the \"--force\" flag; pass '--' to stop."),
    // Beside quotation marks, straight or curly.
    RuleCase(em, "He said \"x\" -- and left. \u{201C}A\u{201D} - \u{201C}b\u{201D}.", "He said \"x\"\u{2014}and left. \u{201C}A\u{201D}\u{2014}\u{201C}b\u{201D}."),
    RuleCase(en, "Fast - and cheap. Fast--cheap.", "Fast \u{2013} and cheap. Fast \u{2013} cheap."),
    RuleCase(en, "A well-known tool.", "A well-known tool."),
    RuleCase(character, "Wait... then go.", "Wait\u{2026} then go."),
    RuleCase(character, "Wait.... Then `a...b`.", "Wait.... Then `a...b`."),
    RuleCase(dots, "Wait\u{2026} then go.", "Wait... then go."),
    RuleCase(oxford, "Red, green, blue and white.", "Red, green, blue, and white."),
    RuleCase(oxford, "Red, green and blue.", "Red, green and blue.",
             findings: ["if this is a list, add a serial (Oxford) comma before 'and'"]),
    RuleCase(oxford, "Red, green, and blue.", "Red, green, and blue."),
    RuleCase(oxford, "Cats and dogs.", "Cats and dogs."),
    RuleCase(noOxford, "Red, green, blue, and white.", "Red, green, blue and white."),
    RuleCase(noOxford, "Red, green, and blue.", "Red, green, and blue.",
             findings: ["if this is a list, remove the serial (Oxford) comma before 'and'"]),
    RuleCase(noOxford, "Red, green and blue.", "Red, green and blue."),
]

@Test("punctuation", arguments: punctuationCases) func punctuation(_ c: RuleCase) throws { try check(c) }

// MARK: - smart quotes

private let curly = "punctuation: { quotes: curly }", straight = "punctuation: { quotes: straight }"

let smartQuoteCases: [RuleCase] = [
    RuleCase(curly, "\"Hello,\" she said.", "\u{201C}Hello,\u{201D} she said."),
    RuleCase(curly, "It's Acme's.", "It\u{2019}s Acme\u{2019}s."),
    RuleCase(curly, "In the '90s.", "In the \u{2019}90s."),
    RuleCase(curly, "\"She said 'hi' to me.\"", "\u{201C}She said \u{2018}hi\u{2019} to me.\u{201D}"),
    RuleCase(curly, "\"'Hi,' she said.\"", "\u{201C}\u{2018}Hi,\u{2019} she said.\u{201D}"),
    RuleCase(curly, "He said \"no\" (\"never\").", "He said \u{201C}no\u{201D} (\u{201C}never\u{201D})."),
    RuleCase(curly, "Say \"hi\" with `print(\"hi\")`.", "Say \u{201C}hi\u{201D} with `print(\"hi\")`."),
    RuleCase(straight, "\u{201C}It\u{2019}s \u{2018}fine\u{2019}\u{201D}", "\"It's 'fine'\""),
]

@Test("smart quotes", arguments: smartQuoteCases) func smartQuotes(_ c: RuleCase) throws { try check(c) }
