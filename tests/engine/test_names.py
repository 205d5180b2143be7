"""A unit's name is one writing, whatever keyboard, file or page it came from."""

import unicodedata

from dti.engine.names import clean_name, name_key

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
