"""The target's product catalog, read once a tenant: each rate plan's id by its name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from steps.targets import views
from steps.targets.transport import HttpClient

__all__ = ["rate_plan_ids", "rate_plans"]

#: A paged listing of the target: operation, path, response schema, query, rows' field.
Pages = Callable[[str, str, str, dict[str, Any], str], Iterator[views.Fields]]


def rate_plan_ids(client: HttpClient, pages: Pages) -> dict[str, str]:
    """Every rate plan of the catalog, its id by its name, every page read."""
    return {
        rate_plan.text("name"): rate_plan.text("id")
        for product in pages("list catalog", "/v1/catalog/products", "catalog-response", {}, "products")
        for rate_plan in rate_plans(client, pages, product)
    }


def rate_plans(client: HttpClient, pages: Pages, product: views.Fields) -> list[views.Fields]:
    """A product's rate plans: listed inline (Zuora without a version header) or behind the URL
    that Zuora-Version 230 and later give instead."""
    listed = product.get("productRatePlans")
    if not isinstance(listed, str):
        return product.items("productRatePlans")
    # A URL the target hands back is followed only on the target (never elsewhere).
    url = client.url_for("list catalog", listed, f"{product.where}.productRatePlans")
    return list(pages("list rate plans", url, "product-rate-plans-response", {}, "productRatePlans"))
