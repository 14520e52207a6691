"""A table's heading row that the OCR misspelt: 'Oty Shipnod', 'Desciotion', 'Emlry', 'Cadigo', '0.ta', 'Latto'.

Headings are printed bold and small, so on a phone photo they are often the worst-read words of the slip,
and without them the goods are read by item codes alone, where a quantity needs a unit word beside it. When
no heading row reads exactly (table.find_heading), each word of a row is compared with the heading words
the slip's languages use, forgiving OCR's look-alikes (0/o, 1/l, 5/s, 8/b, q/o, accents) and one wrong
letter in five (none in shorter words). A row counts as the heading only when it names the quantity and
at least three other kinds of column, no two words the same kind, and holds no number: one misspelt word
is a blur, a row of them in the right places is a heading.
"""
from __future__ import annotations

import unicodedata

from integrations.slips.layout import Row, Word
from integrations.slips.matching import distance as edit_distance

HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "pos": ("pos", "line", "riga", "regel", "ligne", "lp"),
    "sku": ("sku", "item", "code", "cod", "article", "artikel", "artikelnr", "codice", "codigo", "ref", "reference",
            "referencia", "artigo", "indeks", "kod", "material", "artnr", "itemno", "itemcode", "productcode"),
    "description": ("description", "bezeichnung", "descripcion", "descrizione", "designation", "product", "produkt",
                    "producto", "prodotto", "produit", "omschrijving", "descricao", "nazwa", "opis", "libelle",
                    "beschreibung", "artikelbezeichnung", "goods"),
    "quantity": ("qty", "quantity", "menge", "anzahl", "cantidad", "quantita", "qta", "quantite", "qte", "aantal",
                 "quantidade", "qtd", "ilosc", "shipped", "liefermenge", "iloscwyd", "delivered", "geliefert",
                 "dostarczono"),
    # amounts beside the delivered one, named so their numbers are not read as it (table.py)
    "ordered": ("ordered", "bestellt", "zamowiono", "commande", "ordinato", "besteld", "encomendado"),
    "outstanding": ("backorder", "outstanding", "ruckstand", "pendiente", "reliquat", "openstaand", "pendente",
                    "pozostalo"),
    "unit": ("unit", "uom", "einheit", "unidad", "unita", "unite", "eenheid", "unidade", "jednostka", "jm", "um"),
    "lot": ("lot", "lotno", "lotnr", "batch", "batchno", "charge", "lote", "lotto", "partij", "partia", "chargennr"),
    "expiry": ("expiry", "exp", "expires", "bbe", "bbd", "mhd", "caducidad", "scadenza", "scad", "dluo", "ddm", "tht",
               "validade", "val", "waznosci", "houdbaar", "verfall", "verfallsdatum", "vervaldatum", "expiration"),
}
_LOOK_ALIKES = str.maketrans({"0": "o", "1": "l", "|": "l", "5": "s", "8": "b", "q": "o", "i": "l", "ł": "l"})
_FOLDED = [(kind, known.translate(_LOOK_ALIKES)) for kind, words in HEADING_WORDS.items() for known in words]


def blurred_heading(rows: list[Row]) -> tuple[int, list[tuple[str, float, float]]] | None:
    """(index of the heading row, [(kind, x0, x1), …] left to right) or None."""
    for index, row in enumerate(rows):
        columns = _columns(row.words)
        kinds = {kind for kind, _, _ in columns}
        if columns and "quantity" in kinds and len(kinds - {"pos", "quantity"}) >= 3:
            return index, columns
    return None


def _columns(words: list[Word]) -> list[tuple[str, float, float]]:
    columns: list[tuple[str, float, float]] = []
    for word in words:
        folded = fold(word.text)
        if not folded:
            continue
        if any(c.isdigit() for c in folded):
            return []  # a number that no look-alike explains: data, not a heading
        kind = kind_of(folded)
        if kind is None:
            continue
        if columns and columns[-1][0] == kind and word.x0 - columns[-1][2] < 3 * (word.x1 - word.x0):
            columns[-1] = (kind, columns[-1][1], word.x1)  # "Lot No", "Best before": one heading, two words
        elif kind in {c[0] for c in columns}:
            return []  # two columns of one kind: not a heading row
        else:
            columns.append((kind, word.x0, word.x1))
    return columns


def fold(text: str) -> str:
    """Lower case, accents and punctuation off, OCR's look-alike characters folded to letters."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "".join(c for c in plain.translate(_LOOK_ALIKES) if c.isalnum())


def kind_of(folded: str) -> str | None:
    """The column kind whose heading word `folded` is, allowing one wrong letter in five (none in shorter words)."""
    allowed = len(folded) // 5
    best: tuple[int, str] | None = None
    for kind, target in _FOLDED:  # folded once, at import
        if abs(len(target) - len(folded)) > allowed:
            continue
        distance = edit_distance(folded, target, allowed)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, kind)
    return best[1] if best else None

