"""Bill of materials: catalog items with quantities, indicative unit prices and totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class BomLine:
    """One line of the bill of materials.

    ``unit_price`` is None when the catalog has no price; such lines need a
    quote and are left out of the total, as the report states.
    """

    category: str
    key: str
    description: str
    quantity: int
    unit_price: float | None
    currency: str
    price_date: str
    price_basis: str
    source: str

    @property
    def total(self) -> float | None:
        if self.unit_price is None:
            return None
        return self.unit_price * self.quantity


@dataclass
class BillOfMaterials:
    """All lines of the proposal in one currency."""

    currency: str
    lines: list[BomLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, category: str, row: Any, quantity: int, description: str = "") -> None:
        """Add ``quantity`` of catalog ``row``; prices in another currency are not converted."""
        if quantity <= 0:
            return
        price = getattr(row, "price", None)
        row_currency = getattr(row, "price_currency", None) or self.currency
        if price is not None and row_currency != self.currency:
            self.warnings.append(
                f"{row.name}: catalog price is in {row_currency}, the project uses "
                f"{self.currency}; enter a price in {self.currency}.")
            price = None
        self.lines.append(BomLine(
            category=category,
            key=row.key,
            description=description or row.name,
            quantity=quantity,
            unit_price=price,
            currency=self.currency,
            price_date=getattr(row, "price_date", None) or "",
            price_basis=getattr(row, "price_basis", None) or "",
            source=getattr(row, "source", "") or "",
        ))

    def add_unpriced(self, category: str, key: str, description: str, quantity: int) -> None:
        """Add an item the catalog does not carry; it needs a quote."""
        if quantity <= 0:
            return
        self.lines.append(BomLine(category, key, description, quantity, None, self.currency,
                                  "", "quote needed", ""))

    @property
    def total(self) -> float:
        """Sum of the priced lines."""
        return sum(line.total for line in self.lines if line.total is not None)

    @property
    def unpriced_lines(self) -> list[BomLine]:
        return [line for line in self.lines if line.unit_price is None]

    def total_by_category(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for line in self.lines:
            if line.total is not None:
                totals[line.category] = totals.get(line.category, 0.0) + line.total
        return totals
