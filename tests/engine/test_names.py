"""A unit's name is one writing, whatever keyboard, file or page it came from."""

import unicodedata

from dti.engine.names import clean_name, name_key, search_key

NAME = "UBND TP. Bắc Ninh"


def test_decomposed_invisible_and_doubled_spaces_give_the_same_name():
    for variant in (unicodedata.normalize("NFD", NAME), "UBND TP.\u200b Bắc Ninh", "UBND  TP. Bắc Ninh",
                    " UBND TP.\u00a0Bắc Ninh\t", "\ufeffUBND TP. Bắc Ninh"):
        assert variant != NAME
        assert clean_name(variant) == NAME


def test_case_and_punctuation_do_not_make_another_unit_but_letters_do():
    assert name_key("ubnd tp bắc ninh") == name_key(NAME) == name_key(unicodedata.normalize("NFD", NAME))
    assert name_key("UBND TP. Bắc Giang") != name_key(NAME)
    assert name_key("UBND TP. Bac Ninh") != name_key(NAME)  # diacritics are letters in Vietnamese


def test_a_search_finds_a_name_typed_without_diacritics_or_in_either_form():
    target = search_key("Sở Tài chính")
    for typed in ("tai chinh", "TÀI CHÍNH", unicodedata.normalize("NFD", "Tài chính"), "tài\u200b chính"):
        assert search_key(typed) in target, typed
    assert search_key("Đông Anh") == "dong anh"
    assert search_key("thuan thanh") in search_key("UBND huyện Thuận Thành")
    # for finding only: the names stay two units
    assert name_key("Bắc Ninh") != name_key("Bac Ninh") and search_key("Bắc Ninh") == search_key("Bac Ninh")
