"""How suppliers in different countries print a packing slip: words, number and date formats.

The corpus draws from these so the offline reader is measured on the variety it meets at the goods-in
door, not on one template. Spellings of units and labels are deliberately mixed within a locale.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Locale:
    code: str
    decimal: str  # "." or ","
    thousands: str  # "," "." or "" (none)
    date_styles: tuple[str, ...]  # "mdy/", "dmy/", "dmy.", "iso", "mon d, y", "d mon y"
    titles: tuple[str, ...]
    po_labels: tuple[str, ...]
    date_labels: tuple[str, ...]
    note_labels: tuple[str, ...]  # the slip's own number: a distractor for the PO
    ship_to: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]  # sku, description, quantity, unit, lot, expiry, pos
    list_labels: dict[str, tuple[str, ...]]  # quantity, lot, expiry
    units: dict[str, tuple[str, ...]]  # canonical → how this locale prints it
    footers: tuple[str, ...]
    suppliers: tuple[str, ...]
    customers: tuple[str, ...]
    language: str

    def number(self, value: Decimal, rng: random.Random) -> str:
        text = f"{value:f}"
        whole, _, frac = text.partition(".")
        if frac and rng.random() < 0.5 and len(frac) == 1:
            frac += "0"  # "10,50" as often as "10,5"
        grouped = whole
        if self.thousands and len(whole) > 3 and rng.random() < 0.85:
            groups = []
            while len(whole) > 3:
                groups.insert(0, whole[-3:])
                whole = whole[:-3]
            grouped = self.thousands.join([whole, *groups])
        return grouped + (self.decimal + frac if frac else "")

    def date(self, value: date, rng: random.Random) -> str:
        style = rng.choice(self.date_styles)
        d, m, y = value.day, value.month, value.year
        return {
            "mdy/": f"{m:02d}/{d:02d}/{y}", "dmy/": f"{d:02d}/{m:02d}/{y}", "dmy.": f"{d:02d}.{m:02d}.{y}",
            "dmy-": f"{d:02d}-{m:02d}-{y}", "iso": value.isoformat(), "mon d, y": f"{MONTH_ABBR[m - 1]} {d}, {y}",
            "d mon y": f"{d} {MONTH_ABBR[m - 1]} {y}",
        }[style]


EN_UNITS = {"pcs": ("pcs", "ea", "pc", "pieces"), "kg": ("kg", "KG", "kgs"), "g": ("g",), "l": ("L", "ltr", "l"),
            "m": ("m", "mtr"), "cases": ("cs", "cases", "ctn", "CTN")}

LOCALES: dict[str, Locale] = {
    "us": Locale(
        "us", ".", ",", ("mdy/", "mon d, y", "iso"), ("PACKING SLIP", "Packing List"),
        ("PO #", "P.O. No.", "Purchase Order", "PO Number"), ("Date", "Ship Date"), ("Slip No.", "Shipment #"),
        ("Ship To", "Deliver To"),
        {"sku": ("SKU", "Item #", "Item No.", "Vendor Item", "Prod. Code"), "description": ("Description", "Product"),
         "quantity": ("Qty", "Qty Shipped", "Quantity"), "unit": ("Unit", "UOM"), "lot": ("Lot", "Lot No.", "Batch"),
         "expiry": ("Exp.", "Expiry", "Best Before", "Use By"), "pos": ("#", "Line")},
        {"quantity": ("Qty:", "Quantity:"), "lot": ("Lot:", "Lot No.", "Batch:"), "expiry": ("Exp:", "Best before", "Use by")},
        EN_UNITS, ("Total packages: {n}", "Total cases: {n}", "Received by: ________"),
        ("Green Valley Farms Inc.", "Pacific Spice Co.", "Northstar Packaging LLC", "Golden Mill Corp."),
        ("Riverside Kitchen LLC", "Blue Door Bakery Inc."), "en"),
    "uk": Locale(
        "uk", ".", ",", ("d mon y", "iso"), ("DELIVERY NOTE", "Despatch Note"),
        ("Your Order No.", "PO Number", "Order No."), ("Date", "Delivery Date"), ("Delivery Note No.", "Note No."),
        ("Deliver To", "Delivery Address"),
        {"sku": ("Product Code", "Code", "SKU", "Our Code"), "description": ("Description",), "quantity": ("Quantity", "Qty"),
         "unit": ("Unit", "UOM"), "lot": ("Batch", "Batch No.", "Lot"), "expiry": ("BBE", "Best Before", "Use By"),
         "pos": ("Line",)},
        {"quantity": ("Qty:", "Quantity:"), "lot": ("Batch:", "Batch No.", "Lot:"), "expiry": ("BBE:", "Best before", "Use by")},
        {**EN_UNITS, "pcs": ("each", "pcs", "units")}, ("Total packages: {n}", "Signature: ________"),
        ("Brightwater Dairy Ltd", "Hollins & Sons Ltd", "Thames Valley Oils plc"), ("Kitchen Works Ltd",), "en"),
    "de": Locale(
        "de", ",", ".", ("dmy.",), ("Lieferschein", "LIEFERSCHEIN"),
        ("Bestellnr.", "Ihre Bestellung", "Bestellnummer"), ("Datum", "Lieferdatum"), ("Lieferschein-Nr.", "Beleg-Nr."),
        ("Lieferanschrift", "Empfänger"),
        {"sku": ("Art.-Nr.", "Artikel", "Artikelnr.", "Teilenummer", "Mat.-Nr."), "description": ("Bezeichnung", "Artikelbezeichnung"),
         "quantity": ("Menge", "Anzahl"), "unit": ("Einheit", "ME"), "lot": ("Charge", "Chargen-Nr.", "LOT-Nr."),
         "expiry": ("MHD", "Verfall"), "pos": ("Pos.",)},
        {"quantity": ("Menge:",), "lot": ("Charge:", "LOT-Nr.", "Ch.-B."), "expiry": ("MHD:", "MHD", "Verfall:")},
        {"pcs": ("Stk", "Stk.", "Stück"), "kg": ("kg",), "g": ("g",), "l": ("l", "Ltr"), "m": ("m",),
         "cases": ("Krt", "Karton", "Kartons")},
        ("Summe Packstücke: {n}", "Gesamtgewicht: {w} kg", "Vielen Dank für Ihren Auftrag"),
        ("Acme Foods GmbH", "Müller Verpackung GmbH", "Bergmühle Schneider KG", "Gewürzhaus Berger GmbH"),
        ("Feinkost Lehmann GmbH",), "de"),
    "es": Locale(
        "es", ",", ".", ("dmy/", "dmy-"), ("Albarán", "ALBARÁN DE ENTREGA"),
        ("Pedido n°", "Su pedido", "Pedido"), ("Fecha", "Fecha de entrega"), ("Albarán n°",), ("Cliente", "Destinatario"),
        {"sku": ("Ref.", "Referencia", "Código", "Cód.", "Ref. proveedor"), "description": ("Descripción", "Producto"),
         "quantity": ("Cantidad", "Cant."), "unit": ("Ud.", "Unidad"), "lot": ("Lote",),
         "expiry": ("Vence", "Caducidad"), "pos": ("N°",)},
        {"quantity": ("Cantidad:",), "lot": ("Lote:", "Lote"), "expiry": ("Vence:", "Caducidad:", "Cad.")},
        {"pcs": ("uds", "ud", "unidades"), "kg": ("kg",), "g": ("g", "gr"), "l": ("l", "litros"), "m": ("m",),
         "cases": ("cajas", "cj")},
        ("Total bultos: {n}", "Peso bruto: {w} kg", "Gracias"),
        ("Harinas del Sur S.L.", "Aceites Olivar S.A.", "Conservas Marinas S.L."), ("Cocina Central S.L.",), "es"),
    "it": Locale(
        "it", ",", ".", ("dmy/", "dmy."), ("Documento di trasporto", "DDT"),
        ("Ordine n.", "Vs. ordine", "Ordine"), ("Data", "Data consegna"), ("DDT n.",), ("Destinatario", "Cliente"),
        {"sku": ("Codice", "Cod.", "Cod. prodotto"), "description": ("Descrizione", "Prodotto"), "quantity": ("Q.tà", "Quantità"),
         "unit": ("U.M.", "UM"), "lot": ("Lotto",), "expiry": ("Scad.", "Scadenza"), "pos": ("Riga",)},
        {"quantity": ("Q.tà:", "Quantità:"), "lot": ("Lotto:", "Lotto n."), "expiry": ("Scad.", "Scadenza:")},
        {"pcs": ("pz", "pezzi"), "kg": ("kg",), "g": ("g", "gr"), "l": ("l", "lt"), "m": ("m", "mt"),
         "cases": ("ct", "cartoni")},
        ("Totale colli: {n}", "Peso lordo: {w} kg", "Firma: ________"),
        ("Molino Rossi S.r.l.", "Caseificio Bianchi S.p.A.", "Pastificio Verdi S.r.l."), ("Cucina Italia S.r.l.",), "it"),
    "fr": Locale(
        "fr", ",", "", ("dmy/",), ("Bon de livraison", "BON DE LIVRAISON"),
        ("Commande n°", "Bon de commande", "Votre commande"), ("Date", "Date de livraison"), ("BL n°",),
        ("Destinataire", "Livrer à"),
        {"sku": ("Réf.", "Code", "Code produit"), "description": ("Désignation", "Produit"), "quantity": ("Qté", "Quantité"),
         "unit": ("Unité",), "lot": ("Lot", "N° lot"), "expiry": ("DLUO", "DDM", "DLC"), "pos": ("N°",)},
        {"quantity": ("Qté:", "Quantité:"), "lot": ("Lot:", "Lot n°"), "expiry": ("DLUO:", "DDM:", "DLC")},
        {"pcs": ("pce", "pièces"), "kg": ("kg",), "g": ("g",), "l": ("l", "L"), "m": ("m",), "cases": ("colis", "cartons")},
        ("Total colis: {n}", "Poids brut: {w} kg", "Merci"),
        ("Fromagerie Dubois SARL", "Moulins de Provence SAS", "Épices Lambert SARL"), ("Cuisine Centrale SAS",), "fr"),
    "nl": Locale(
        "nl", ",", ".", ("dmy-", "dmy/"), ("Pakbon", "PAKBON"),
        ("Bestelnummer", "Uw bestelling", "Order nr."), ("Datum", "Leverdatum"), ("Pakbon nr.",), ("Leveradres", "Klant"),
        {"sku": ("Art.nr.", "Artikelnr.", "Productcode"), "description": ("Omschrijving", "Product"),
         "quantity": ("Aantal", "Hoeveelheid"), "unit": ("Eenheid",), "lot": ("Lot", "Batch", "Partijnr."),
         "expiry": ("THT", "Vervaldatum"), "pos": ("Nr.",)},
        {"quantity": ("Aantal:",), "lot": ("Lot:", "Partij:", "Batch:"), "expiry": ("THT:", "THT", "Vervaldatum:")},
        {"pcs": ("st", "stuks"), "kg": ("kg",), "g": ("g",), "l": ("l", "liter"), "m": ("m",), "cases": ("dozen", "doos")},
        ("Totaal colli: {n}", "Brutogewicht: {w} kg", "Bedankt"),
        ("Bakkersgroothandel Visser B.V.", "Zuivel Jansen B.V."), ("Keuken Centraal B.V.",), "en"),
    "pt": Locale(
        "pt", ",", ".", ("dmy/", "dmy-"), ("Guia de remessa", "GUIA DE REMESSA"),
        ("Encomenda n.º", "Sua encomenda", "Pedido"), ("Data", "Data de entrega"), ("Guia n.º",), ("Cliente", "Entregar a"),
        {"sku": ("Ref.", "Código", "Cód. produto"), "description": ("Descrição", "Produto"), "quantity": ("Quantidade", "Qtd."),
         "unit": ("Unidade", "Un."), "lot": ("Lote",), "expiry": ("Validade", "Val."), "pos": ("N.º",)},
        {"quantity": ("Quantidade:", "Qtd.:"), "lot": ("Lote:", "Lote n.º"), "expiry": ("Validade:", "Val.:")},
        {"pcs": ("un", "unidades"), "kg": ("kg",), "g": ("g",), "l": ("l", "litros"), "m": ("m",), "cases": ("caixas", "cx")},
        ("Total de volumes: {n}", "Peso bruto: {w} kg", "Obrigado"),
        ("Moagem Silva Lda.", "Lacticínios Costa S.A."), ("Cozinha Central Lda.",), "en"),
    "pl": Locale(
        "pl", ",", " ", ("dmy.", "dmy-"), ("Dowód dostawy", "WZ"),
        ("Zamówienie nr", "Nr zamówienia"), ("Data", "Data dostawy"), ("WZ nr",), ("Odbiorca", "Dostawa do"),
        {"sku": ("Kod", "Symbol", "Nr katalogowy"), "description": ("Nazwa", "Opis towaru"), "quantity": ("Ilość",),
         "unit": ("J.m.", "Jedn."), "lot": ("Partia", "Nr partii"), "expiry": ("Data ważności", "Ważne do"), "pos": ("Lp.",)},
        {"quantity": ("Ilość:",), "lot": ("Partia:", "Nr partii:"), "expiry": ("Ważne do:", "Data ważności:")},
        {"pcs": ("szt.", "szt"), "kg": ("kg",), "g": ("g",), "l": ("l",), "m": ("m", "mb"), "cases": ("kart.", "opak.")},
        ("Razem opakowań: {n}", "Waga brutto: {w} kg", "Dziękujemy"),
        ("Młyn Kowalski Sp. z o.o.", "Mleczarnia Nowak S.A."), ("Kuchnia Centralna Sp. z o.o.",), "en"),
}

# (sku prefix, canonical unit, names by language). Some names carry a pack size on purpose: a number and a
# unit inside the description must not be taken for the delivered quantity.
PRODUCTS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("FLR", "kg", {"en": "Wheat flour T550", "de": "Weizenmehl Type 550", "es": "Harina de trigo", "it": "Farina 00", "fr": "Farine de blé T55"}),
    ("SUG", "kg", {"en": "Cane sugar fine", "de": "Rohrzucker fein", "es": "Azúcar de caña", "it": "Zucchero di canna", "fr": "Sucre de canne"}),
    ("OIL", "l", {"en": "Olive oil extra virgin", "de": "Olivenöl nativ extra", "es": "Aceite de oliva virgen", "it": "Olio extravergine", "fr": "Huile d'olive vierge"}),
    ("BTR", "kg", {"en": "Butter unsalted 82%", "de": "Süßrahmbutter 82%", "es": "Mantequilla sin sal", "it": "Burro 82%", "fr": "Beurre doux 82%"}),
    ("EGG", "pcs", {"en": "Free range eggs M", "de": "Eier Freiland M", "es": "Huevos camperos M", "it": "Uova fresche M", "fr": "Oeufs plein air M"}),
    ("JAR", "pcs", {"en": "Glass jar 370 ml", "de": "Schraubglas 370 ml", "es": "Tarro de cristal 370 ml", "it": "Vasetto vetro 370 ml", "fr": "Bocal verre 370 ml"}),
    ("LID", "pcs", {"en": "Twist lid 82 mm gold", "de": "Deckel TO 82 gold", "es": "Tapa twist 82 mm", "it": "Capsula 82 mm oro", "fr": "Couvercle 82 mm or"}),
    ("BOX", "cases", {"en": "Shipping carton 40x30", "de": "Versandkarton 40x30", "es": "Caja de envío 40x30", "it": "Scatola 40x30", "fr": "Carton d'expédition"}),
    ("SLT", "kg", {"en": "Sea salt coarse", "de": "Meersalz grob", "es": "Sal marina gruesa", "it": "Sale marino grosso", "fr": "Sel de mer gros"}),
    ("PEP", "g", {"en": "Black pepper ground", "de": "Pfeffer schwarz gemahlen", "es": "Pimienta negra molida", "it": "Pepe nero macinato", "fr": "Poivre noir moulu"}),
    ("VAN", "g", {"en": "Vanilla pods Bourbon", "de": "Vanilleschoten Bourbon", "es": "Vainas de vainilla", "it": "Bacche di vaniglia", "fr": "Gousses de vanille"}),
    ("MLK", "l", {"en": "Whole milk 3.5%", "de": "Vollmilch 3,5%", "es": "Leche entera", "it": "Latte intero", "fr": "Lait entier"}),
    ("CRM", "l", {"en": "Double cream", "de": "Schlagsahne 30%", "es": "Nata para montar", "it": "Panna fresca", "fr": "Crème entière"}),
    ("LBL", "pcs", {"en": "Labels 60x40 white", "de": "Etiketten 60x40 weiß", "es": "Etiquetas 60x40", "it": "Etichette 60x40", "fr": "Étiquettes 60x40"}),
    ("TPE", "m", {"en": "Packing tape clear", "de": "Packband transparent", "es": "Cinta de embalar", "it": "Nastro adesivo", "fr": "Ruban adhésif"}),
    ("CHC", "kg", {"en": "Dark chocolate 70%", "de": "Zartbitter Kuvertüre 70%", "es": "Chocolate negro 70%", "it": "Cioccolato fondente", "fr": "Chocolat noir 70%"}),
    ("ALM", "kg", {"en": "Almonds blanched", "de": "Mandeln blanchiert", "es": "Almendras peladas", "it": "Mandorle pelate", "fr": "Amandes blanchies"}),
    ("YST", "g", {"en": "Dry yeast", "de": "Trockenhefe", "es": "Levadura seca", "it": "Lievito secco", "fr": "Levure sèche"}),
    ("HNY", "cases", {"en": "Honey jars 12x250 g", "de": "Honig 12x250 g", "es": "Miel 12x250 g", "it": "Miele 12x250 g", "fr": "Miel 12x250 g"}),
    ("BAG", "pcs", {"en": "Paper bags kraft", "de": "Papiertüten Kraft", "es": "Bolsas de papel", "it": "Sacchetti carta", "fr": "Sachets kraft"}),
)
PERISHABLE = frozenset({"FLR", "SUG", "OIL", "BTR", "EGG", "SLT", "PEP", "VAN", "MLK", "CRM", "CHC", "ALM", "YST", "HNY"})


@dataclass(frozen=True)
class Extras:
    """What the wider layouts (cards, shuffled and wrapped tables, totals) print besides the goods, per
    locale: units spelled out, a code's label after a description, totals and signature lines, page
    footers, stamps, a logo's tagline and the tails that make a description wrap."""

    spelled: dict[str, tuple[str, ...]]  # canonical unit → written out
    code_labels: tuple[str, ...]  # "Art.-Nr. FLR-1234" after the description
    subtotal: tuple[str, ...]  # a row inside the table summing the quantities
    weight: tuple[str, ...]  # "Total weight: {w} kg"
    pallets: tuple[str, ...]  # "Pallets: {n}"
    signature: tuple[str, ...]
    page: tuple[str, ...]  # "Page 1/1"
    stamps: tuple[str, ...]
    tagline: tuple[str, ...]
    tails: tuple[str, ...]  # what follows a name in a long description
    lot_expiry: tuple[str, ...]  # a heading for one cell holding both


EXTRAS: dict[str, Extras] = {
    "en": Extras(
        {"pcs": ("pieces", "units", "each"), "kg": ("kilograms", "kilos", "KGS"), "g": ("grams", "gr"),
         "l": ("litres", "liters", "Ltr"), "m": ("metres", "meters"), "cases": ("cartons", "boxes", "cases")},
        ("Item No.", "Item #", "Code:", "SKU"), ("Subtotal", "Sub-total", "Total qty"),
        ("Total weight: {w} kg", "Gross weight: {w} kg", "Net weight {w} kg"), ("Pallets: {n}", "No. of pallets: {n}"),
        ("Received by: ______________   Signature: ______________", "Driver signature ____________   Date ________"),
        ("Page 1/1", "Page 1 of 1", "1/1"), ("RECEIVED", "COPY", "DUPLICATE", "CHECKED"),
        ("Quality ingredients since 1987", "Wholesale food supplies", "Packaging solutions"),
        ("food grade", "organic, EU origin", "in 25 kg sacks", "store cool and dry", "pallet wrapped"),
        ("Lot / Exp.", "Batch / BBE", "Lot & Expiry")),
    "de": Extras(
        {"pcs": ("Stück", "Stk.", "Stck"), "kg": ("Kilogramm", "Kilo", "kg"), "g": ("Gramm",), "l": ("Liter", "Ltr."),
         "m": ("Meter", "lfm"), "cases": ("Kartons", "Karton")},
        ("Art.-Nr.", "Artikelnr.", "Art.Nr."), ("Zwischensumme", "Summe Menge", "Gesamtmenge"),
        ("Gesamtgewicht: {w} kg", "Bruttogewicht {w} kg"), ("Paletten: {n}", "Anzahl Paletten: {n}"),
        ("Ware erhalten: ______________   Unterschrift: ______________", "Fahrer ____________   Datum ________"),
        ("Seite 1/1", "Seite 1 von 1", "1/1"), ("ERHALTEN", "KOPIE", "GEPRÜFT", "EINGANG"),
        ("Qualität seit 1987", "Großhandel für Gastronomie"),
        ("lebensmittelecht", "Bio, EU-Herkunft", "im 25-kg-Sack", "kühl und trocken lagern", "palettiert"),
        ("Charge / MHD", "Charge/MHD", "LOT / Verfall")),
    "es": Extras(
        {"pcs": ("unidades", "uds.", "ud."), "kg": ("kilos", "kilogramos", "Kg"), "g": ("gramos", "gr"),
         "l": ("litros", "Lt"), "m": ("metros",), "cases": ("cajas",)},
        ("Ref.", "Cód.", "Código:"), ("Subtotal", "Total unidades"),
        ("Peso total: {w} kg", "Peso bruto {w} kg"), ("Palés: {n}", "Nº palets: {n}"),
        ("Recibido por: ______________   Firma: ______________", "Conforme cliente ____________"),
        ("Página 1/1", "Pág. 1 de 1", "1/1"), ("RECIBIDO", "COPIA", "DUPLICADO"),
        ("Calidad desde 1987", "Distribución alimentaria"),
        ("apto uso alimentario", "ecológico, origen UE", "en sacos de 25 kg", "conservar en lugar fresco"),
        ("Lote / Cad.", "Lote/Caducidad")),
    "fr": Extras(
        {"pcs": ("pièces", "unités", "pce"), "kg": ("kilos", "kilogrammes", "Kg"), "g": ("grammes", "gr"),
         "l": ("litres", "Lt"), "m": ("mètres",), "cases": ("cartons", "colis")},
        ("Réf.", "Code :", "Réf. art."), ("Sous-total", "Total quantité"),
        ("Poids total : {w} kg", "Poids brut {w} kg"), ("Palettes : {n}", "Nb palettes : {n}"),
        ("Reçu par : ______________   Signature : ______________", "Signature chauffeur ____________"),
        ("Page 1/1", "Page 1 sur 1", "1/1"), ("REÇU", "COPIE", "DUPLICATA"),
        ("Qualité depuis 1987", "Fournisseur de la restauration"),
        ("qualité alimentaire", "bio, origine UE", "en sacs de 25 kg", "à conserver au sec"),
        ("Lot / DLUO", "Lot/DDM")),
    "it": Extras(
        {"pcs": ("pezzi", "pz.", "unità"), "kg": ("chilogrammi", "Kg"), "g": ("grammi", "gr"), "l": ("litri", "Lt"),
         "m": ("metri",), "cases": ("cartoni", "colli")},
        ("Cod.", "Cod. art.", "Art."), ("Subtotale", "Totale quantità"),
        ("Peso totale: {w} kg", "Peso lordo {w} kg"), ("Bancali: {n}", "N. pallet: {n}"),
        ("Firma del destinatario ______________   Firma vettore ______________",),
        ("Pagina 1/1", "Pag. 1 di 1", "1/1"), ("RICEVUTO", "COPIA", "DUPLICATO"),
        ("Qualità dal 1987", "Forniture per la ristorazione"),
        ("per uso alimentare", "biologico, origine UE", "in sacchi da 25 kg", "conservare in luogo fresco"),
        ("Lotto / Scad.", "Lotto/Scadenza")),
    "nl": Extras(
        {"pcs": ("stuks", "st."), "kg": ("kilo", "kilogram", "Kg"), "g": ("gram",), "l": ("liter", "Ltr"),
         "m": ("meter",), "cases": ("dozen", "colli")},
        ("Art.nr.", "Artikelnr.", "Code:"), ("Subtotaal", "Totaal aantal"),
        ("Totaal gewicht: {w} kg", "Brutogewicht {w} kg"), ("Pallets: {n}", "Aantal pallets: {n}"),
        ("Ontvangen door: ______________   Handtekening: ______________",),
        ("Pagina 1/1", "Pagina 1 van 1", "1/1"), ("ONTVANGEN", "KOPIE", "GECONTROLEERD"),
        ("Kwaliteit sinds 1987", "Groothandel horeca"),
        ("food grade", "biologisch, EU-herkomst", "in zakken van 25 kg", "koel en droog bewaren"),
        ("Partij / THT", "Lot/THT")),
    "pt": Extras(
        {"pcs": ("unidades", "un."), "kg": ("quilos", "quilogramas", "Kg"), "g": ("gramas",), "l": ("litros", "Lt"),
         "m": ("metros",), "cases": ("caixas",)},
        ("Ref.", "Cód.", "Código:"), ("Subtotal", "Total unidades"),
        ("Peso total: {w} kg", "Peso bruto {w} kg"), ("Paletes: {n}", "N.º de paletes: {n}"),
        ("Recebido por: ______________   Assinatura: ______________",),
        ("Página 1/1", "Pág. 1 de 1", "1/1"), ("RECEBIDO", "CÓPIA", "DUPLICADO"),
        ("Qualidade desde 1987", "Distribuição alimentar"),
        ("grau alimentar", "biológico, origem UE", "em sacos de 25 kg", "conservar em local fresco"),
        ("Lote / Val.", "Lote/Validade")),
    "pl": Extras(
        {"pcs": ("szt.", "sztuk", "sztuki"), "kg": ("kilogramy", "kilogramów", "Kg"), "g": ("gramy", "gram"),
         "l": ("litry", "litrów"), "m": ("metry", "mb"), "cases": ("kartony", "opak.")},
        ("Kod", "Indeks", "Nr kat."), ("Razem ilość", "Suma częściowa"),
        ("Waga całkowita: {w} kg", "Waga brutto {w} kg"), ("Palety: {n}", "Ilość palet: {n}"),
        ("Odebrał: ______________   Podpis: ______________", "Wydał ____________   Przyjął ____________"),
        ("Strona 1/1", "Str. 1 z 1", "1/1"), ("OTRZYMANO", "KOPIA", "SPRAWDZONO"),
        ("Jakość od 1987", "Hurtownia gastronomiczna"),
        ("do kontaktu z żywnością", "ekologiczny, pochodzenie UE", "w workach po 25 kg", "przechowywać w suchym miejscu"),
        ("Partia / Ważne do", "Partia/Data ważności")),
}
EXTRAS_OF = {"us": "en", "uk": "en", "de": "de", "es": "es", "fr": "fr", "it": "it", "nl": "nl", "pt": "pt", "pl": "pl"}
