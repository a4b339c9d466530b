"""Engine: how a figure's place is chosen from the places of its sentence and the sentences before."""

import pytest

from targettrack.extraction import extract


@pytest.mark.parametrize("text, region", [
    # A quoted figure is about the place of whoever is quoted, named after the quote.
    ('At a forum with Guangdong firms, "we will install 5 GW of solar power by 2030," said an official of '
     'Jiangsu province.', "Jiangsu"),
    ("At a forum with Guangdong firms, we will install 5 GW of solar power by 2030, said an official of "
     "Jiangsu province.", "Guangdong"),
    # A place named inside the quote before the figure wins over the speaker's.
    ('"Hebei will add 5 GW of solar power by 2030," an official from Jiangsu said.', "Hebei"),
    # Without quotation marks the place before the figure is the subject.
    ("Guangdong will install 5 GW of solar power by 2030, officials in Jiangsu said.", "Guangdong"),
])
def test_a_figure_takes_the_place_of_its_speaker_only_when_quoted(text, region):
    records = extract(text, published="2024-01-01")
    assert [r.region.name for r in records] == [region]


@pytest.mark.parametrize("text, regions", [
    # A sentence with no figure still names the place that the next sentence's figure is about.
    ("Officials in Yunnan met on Monday. Capacity will reach 8 GW of wind power by 2027.", ["Yunnan"]),
    # A place named with a figure carries on to a figure without one.
    ("Hubei will add 3 GW of solar power by 2026. It will also add 2 GW of wind power by 2027.",
     ["Hubei", "Hubei"]),
])
def test_the_last_place_carries_on_to_sentences_that_name_none(text, regions):
    records = extract(text, published="2024-01-01")
    assert [r.region.name for r in records] == regions
