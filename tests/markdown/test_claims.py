"""Finding claims that may not be published in what a reader sees."""

from content.markdown.claims import ClaimRule, find_claims, pattern_of

FOOD = ClaimRule("empty stomach", "That was the 2013 label", "Take it with or without food.", "PI")
CAPSULE = ClaimRule("one * mg capsule", "There is no 5 mg capsule.", "Your dose", "PI")


def test_matching_ignores_capitals_spaces_line_breaks_and_curly_quotes():
    assert find_claims("Take it on an EMPTY\n   stomach.", [FOOD])[0].found == "EMPTY stomach"
    quoted = ClaimRule("the ‘old’ name", "r", "f", "s")
    assert find_claims("It had the 'old' name", [quoted])
    assert find_claims("It had the ‘old’ name", [ClaimRule("the 'old' name", "r", "f", "s")])


def test_a_star_stands_for_one_word():
    assert find_claims("Take one 5 mg capsule.", [CAPSULE])[0].found == "one 5 mg capsule"
    assert find_claims("There is no 5 mg capsule.", [CAPSULE]) == []
    assert find_claims("one big 5 mg capsule", [CAPSULE]) == []


def test_whole_words_only():
    assert find_claims("semi-empty stomachs", [FOOD]) == []


def test_the_message_names_the_words_the_reason_the_fact_and_the_source():
    hit = find_claims("an empty stomach", [FOOD])[0]
    assert hit.message == (
        "“empty stomach”: That was the 2013 label. Current fact: Take it with or without food. "
        "(Source: PI)"
    )


def test_hostile_phrases_are_words_not_patterns():
    assert pattern_of("*") is None and pattern_of("  ") is None
    rule = ClaimRule("(a+)+$", "r", "f", "s")
    assert find_claims("a" * 50_000 + "!", [rule]) == []
    assert find_claims("x (a+)+$ y", [rule])
