"""A token's family as two trees: ancestors (parents of parents …) and descendants, depth-bounded.

Lineage is a DAG (kin may fuse with kin), so a token can appear more than once in a tree; the
total number of nodes is capped and ``truncated`` says when the cap cut the tree short.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from offchain.store.queries import children_of, indexed_token
from offchain.token.info import TokenInfo

NodeFn = Callable[[TokenInfo], dict[str, Any]]


class _Budget:
    def __init__(self, nodes: int) -> None:
        self.left = nodes
        self.truncated = False

    def take(self) -> bool:
        if self.left <= 0:
            self.truncated = True
            return False
        self.left -= 1
        return True


def family_tree(session: Session, root: TokenInfo, depth: int, max_nodes: int, node: NodeFn) -> dict[str, Any]:
    """``{"ancestors": tree, "descendants": tree, "truncated": bool}`` rooted at ``root``."""
    budget = _Budget(max_nodes)
    cache: dict[int, TokenInfo | None] = {root.id: root}

    def lookup(token_id: int) -> TokenInfo | None:
        if token_id not in cache:
            cache[token_id] = indexed_token(session, token_id)
        return cache[token_id]

    def ancestors(info: TokenInfo, level: int) -> dict[str, Any]:
        out = node(info) | {"parents": []}
        if level >= depth:
            return out
        for pid in info.parents:
            parent = lookup(pid)
            if parent is not None and budget.take():
                out["parents"].append(ancestors(parent, level + 1))
        return out

    def descendants() -> dict[str, Any]:
        top = node(root) | {"children": []}
        frontier = [(root, top)]
        for _ in range(depth):
            kids = children_of(session, sorted({info.id for info, _ in frontier}))
            next_frontier = []
            for info, tree in frontier:
                for child in kids[info.id]:
                    if not budget.take():
                        break
                    sub = node(child) | {"children": []}
                    tree["children"].append(sub)
                    next_frontier.append((child, sub))
            frontier = next_frontier
            if not frontier:
                break
        return top

    return {"ancestors": ancestors(root, 0), "descendants": descendants(), "truncated": budget.truncated}
