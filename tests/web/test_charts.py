"""The SVG timeline: valid XML, accessible, no styles, everything escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from web.charts import timeline_svg, timeline_table

S = "{http://www.w3.org/2000/svg}"
POINTS = [("2023 Q4", 0), ("2024 Q1", 3), ("2024 Q2", 7), ("2024 Q3", 2)]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{S}svg"
    return root


def test_accessible_name_and_description() -> None:
    root = parse(timeline_svg(POINTS, title="Mentions per quarter", chart_id="topic"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "topic-title topic-desc"
    assert root.findtext(f"{S}title") == "Mentions per quarter"
    assert root.find(f"{S}title").get("id") == "topic-title"  # type: ignore[union-attr]
    assert root.findtext(f"{S}desc") == (
        "Mentions per quarter: 2023 Q4: 0; 2024 Q1: 3; 2024 Q2: 7; 2024 Q3: 2."
    )
    bars = root.findall(f"{S}rect")
    assert [b.findtext(f"{S}title") for b in bars] == [
        "2023 Q4: 0", "2024 Q1: 3", "2024 Q2: 7", "2024 Q3: 2"
    ]  # fmt: skip
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights[0] == 0 and heights[2] == max(heights) and heights[1] > heights[3]
    texts = [t.text for t in root.iter(f"{S}text")]
    assert {"Period", "Count", "2024 Q1", "0", "10"} <= set(texts)


def test_no_style_no_external_resources() -> None:
    svg = timeline_svg(POINTS * 10, title="Many", width=300, height=120)
    root = parse(svg)
    for el in root.iter():
        assert "style" not in el.attrib, el.tag
        assert not el.tag.endswith(("style", "script", "image", "use", "foreignObject"))
        for name, value in el.attrib.items():
            assert "url(" not in value and not name.endswith("href"), (name, value)
    assert "style=" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
    # period labels thinned out so they do not overlap on a narrow chart
    labels = [t for t in root.iter(f"{S}text") if t.text and t.text.startswith("20")]
    assert 0 < len(labels) < 40


def test_labels_and_title_are_escaped() -> None:
    evil = '<script>alert("x")</script>'
    svg = timeline_svg([(evil, 2), ("a & b", 1)], title=f"Topic {evil}")
    assert "<script>" not in svg
    root = parse(svg)
    assert root.findtext(f"{S}title") == f"Topic {evil}"
    assert evil in [t.text for t in root.iter(f"{S}text")]
    assert root.find(f"{S}script") is None


@pytest.mark.parametrize("points", [[], [("2024", 0)], [("2024", 5)]])
def test_empty_and_flat_data(points) -> None:
    root = parse(timeline_svg(points, title="Empty"))
    assert root.findtext(f"{S}desc").startswith("Empty:")  # type: ignore[union-attr]
    assert len(root.findall(f"{S}rect")) == len(points)


def test_ids_are_unique_without_a_chart_id() -> None:
    a = parse(timeline_svg(POINTS, title="A")).get("aria-labelledby")
    b = parse(timeline_svg(POINTS, title="B")).get("aria-labelledby")
    assert a != b


def test_fallback_table() -> None:
    assert timeline_table([("2024 Q1", 3), ("<b>", -1)]) == [
        {"period": "2024 Q1", "count": 3},
        {"period": "<b>", "count": 0},
    ]
