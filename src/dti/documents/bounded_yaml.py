"""YAML read within limits: a small hostile file must not take the machine's memory or time.

PyYAML expands aliases as shared references, so a kilobyte of nested anchors ("billion laughs") builds a
structure that every later walk over it — checking a framework, copying a merge key — visits billions of times,
and 5,000 nested brackets exhaust the recursion of its composer. Here the document is first composed into its
node graph with a depth limit; the graph is then measured as it would be once every alias is expanded, and only
a document within the limits is built into Python objects. Anchors and merge keys stay usable: the shipped
frameworks use them a few dozen times.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from dti.engine.i18n import t

MAX_YAML_CHARACTERS = 5_000_000
MAX_DEPTH = 40  # the deepest framework nests group › pillar › indicator › sub-indicators › rule › parameters
MAX_EXPANDED_NODES = 1_000_000  # a 3,000-indicator framework is about 60,000 nodes


class YamlLimitError(yaml.MarkedYAMLError):
    """A document beyond the limits; ``problem`` says which, in the reader's language."""


class _BoundedLoader(yaml.SafeLoader):
    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise YamlLimitError(problem=t("lồng nhau quá sâu (quá {n} cấp)", n=MAX_DEPTH),
                                     problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(text: str) -> Any:
    """The one document of ``text``, like ``yaml.safe_load``; YamlLimitError (a YAMLError) beyond the limits."""
    if len(text) > MAX_YAML_CHARACTERS:
        raise YamlLimitError(problem=t("văn bản quá dài ({n} ký tự; tối đa {limit})", n=len(text),
                                       limit=MAX_YAML_CHARACTERS))
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expanded_size(root: Node) -> None:
    """Refuses a graph whose aliases, expanded, would exceed MAX_EXPANDED_NODES, or that refers to itself."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise YamlLimitError(problem=t("một neo (&) tham chiếu đến chính nó"), problem_mark=node.start_mark)
        open_nodes.add(key)
        total = 1
        if isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, SequenceNode):
            total += sum(size(item) for item in node.value)
        if total > MAX_EXPANDED_NODES:
            raise YamlLimitError(problem=t("quá nhiều phần tử khi mở rộng các tham chiếu (*): quá {n}",
                                           n=MAX_EXPANDED_NODES), problem_mark=node.start_mark)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    size(root)
