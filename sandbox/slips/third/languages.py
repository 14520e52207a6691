"""How delivery notes are worded and how they write numbers and dates, country by country.

Each entry is what a supplier's ERP or office template in that country typically prints; several spellings
per label because two German suppliers never agree on "Menge" vs "Liefermenge". Unit words are only those
whose meaning is unambiguous (a "Karton" is a case; a "Sack" or "bag" is not listed since it is no unit the
bot can record).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Wording:
    code: str
    titles: tuple[str, ...]
    po_labels: tuple[str, ...]
    note_labels: tuple[str, ...]  # the delivery note's own number
    date_labels: tuple[str, ...]
    order_date_labels: tuple[str, ...]
    customer_labels: tuple[str, ...]
    col_pos: tuple[str, ...]
    col_code: tuple[str, ...]
    col_desc: tuple[str, ...]
    col_qty: tuple[str, ...]
    col_ordered: tuple[str, ...]
    col_backorder: tuple[str, ...]
    col_unit: tuple[str, ...]
    col_lot: tuple[str, ...]
    col_expiry: tuple[str, ...]
    col_weight: tuple[str, ...]
    units: dict[str, tuple[str, ...]]  # normalised unit -> printed words
    total: tuple[str, ...]
    pallet: str
    packages: str
    signature: tuple[str, ...]
    terms: tuple[str, ...]
    page: str
    months: tuple[str, ...]
    date_formats: tuple[str, ...]  # strftime-like, %b = month abbreviation from `months`
    expiry_formats: tuple[str, ...]  # may include month-year forms (%m/%Y)
    decimal: str
    thousands: tuple[str, ...]  # separators seen for thousands ('' = none)
    stamp: tuple[str, ...]
    ship_to: str
    bank: str


W = {}

W["en-US"] = Wording(
    "en-US", ("PACKING SLIP", "Packing List", "DELIVERY TICKET", "Bill of Lading / Packing Slip"),
    ("Your PO #", "PO Number:", "Customer PO:", "Purchase Order:", "Your order:"),
    ("Packing Slip #", "Shipment No.", "Ticket #"), ("Date:", "Ship Date:", "Date Shipped:"),
    ("Order Date:", "PO Date:"), ("Customer #", "Account No."),
    ("Line", "#", "Ln"), ("Item #", "Item No.", "Part Number", "SKU"), ("Description", "Item Description"),
    ("Qty Shipped", "Shipped", "Qty", "Quantity"), ("Qty Ordered", "Ordered"), ("Back Order", "B/O"),
    ("U/M", "UOM", "Unit"), ("Lot #", "Lot No.", "Batch"), ("Exp. Date", "Best By", "Use By"), ("Net Wt", "Weight"),
    {"pcs": ("EA", "ea", "pcs", "each"), "cases": ("CS", "cs", "case", "cases", "ctn"), "kg": ("kg",),
     "g": ("g",), "l": ("L", "ltr"), "m": ("m",)},
    ("Total", "Total Units", "Subtotal"), "Pallet", "Cartons", ("Received by", "Signature", "Driver"),
    ("Please inspect all goods upon receipt. Claims must be made within 48 hours.",
     "Returns require an RMA number. Thank you for your business!"),
    "Page {p} of {n}", ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    ("%m/%d/%Y", "%m/%d/%y", "%b %d, %Y", "%m-%d-%Y"), ("%m/%d/%Y", "%m/%Y", "%m/%d/%y", "%b %Y"),
    ".", (",", ""), ("RECEIVED", "INSPECTED", "CHECKED"), "Ship To:", "Remit to: First Harbor Bank, ABA 021000089",
)

W["en-GB"] = Wording(
    "en-GB", ("DELIVERY NOTE", "Delivery Note", "Despatch Note", "GOODS DESPATCH NOTE"),
    ("Your order:", "Your Ref:", "Order No.", "Customer Order Ref.", "P/O No."),
    ("Delivery Note No.", "Despatch No.", "Note No."), ("Date:", "Despatch Date:", "Delivery Date:"),
    ("Order Date:",), ("Account No.", "Customer No."),
    ("Line", "Item", "No."), ("Product Code", "Code", "Stock Code", "Our Ref."), ("Description", "Product"),
    ("Qty", "Quantity", "Qty Despatched", "Delivered"), ("Ordered", "Qty Ordered"), ("To Follow", "Outstanding"),
    ("Unit", "UoM"), ("Batch", "Batch No.", "Lot"), ("Best Before", "BBE", "Use By"), ("Weight",),
    {"pcs": ("pcs", "each", "units"), "cases": ("cases", "ctn", "cartons", "case"), "kg": ("kg", "kgs"), "g": ("g",),
     "l": ("litres", "ltr", "L"), "m": ("m", "metres")},
    ("Total", "Total Qty", "Total items"), "Pallet", "Cartons", ("Received in good condition by", "Signed", "Print name"),
    ("Goods remain our property until paid for in full.", "Shortages must be reported within 24 hours of delivery."),
    "Page {p} of {n}", ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    ("%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d.%m.%Y"), ("%d/%m/%Y", "%m/%Y", "%d %b %Y", "%b %Y"),
    ".", (",", ""), ("RECEIVED", "GOODS IN", "CHECKED"), "Deliver to:", "Bank: Northgate Bank plc, Sort code 20-45-77, Acc 40311875",
)

W["de"] = Wording(
    "de", ("LIEFERSCHEIN", "Lieferschein", "Lieferschein / Packliste"),
    ("Ihre Bestellung:", "Bestellnr.:", "Ihre Bestell-Nr.", "Bestellung", "Ihr Zeichen:"),
    ("Lieferschein-Nr.", "Lieferscheinnummer", "LS-Nr."), ("Datum:", "Lieferdatum:", "Versanddatum:"),
    ("Bestelldatum:", "vom"), ("Kunden-Nr.", "Kundennummer"),
    ("Pos.", "Pos", "Nr."), ("Artikel-Nr.", "Art.-Nr.", "Artikelnummer", "Material"), ("Bezeichnung", "Artikelbezeichnung"),
    ("Menge", "Liefermenge", "geliefert"), ("bestellt", "Bestellmenge"), ("Rückstand", "offen"),
    ("Einheit", "ME", "Einh."), ("Charge", "Chargen-Nr.", "Los"), ("MHD", "Haltbar bis", "Verfall"), ("Gewicht", "Netto kg"),
    {"pcs": ("Stück", "Stk", "St.", "Stk."), "cases": ("Karton", "Krt", "Kt."), "kg": ("kg",), "g": ("g",),
     "l": ("l", "Ltr"), "m": ("m", "Meter")},
    ("Summe", "Gesamt", "Zwischensumme"), "Palette", "Packstücke", ("Ware erhalten", "Unterschrift Empfänger", "Fahrer"),
    ("Es gelten unsere Allgemeinen Geschäftsbedingungen. Die Ware bleibt bis zur vollständigen Bezahlung unser Eigentum.",
     "Reklamationen innerhalb von 3 Tagen nach Wareneingang."),
    "Seite {p} von {n}", ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    ("%d.%m.%Y", "%d.%m.%y", "%d. %b %Y", "%Y-%m-%d"), ("%d.%m.%Y", "%m/%Y", "%d.%m.%y", "%m.%Y"),
    ",", (".", ""), ("GEPRÜFT", "EINGANG", "ERHALTEN"), "Lieferanschrift:",
    "Bankverbindung: Sparkasse Rheinland, IBAN DE44 3705 0198 0012 3456 78, BIC COLSDE33",
)

W["es"] = Wording(
    "es", ("ALBARÁN DE ENTREGA", "Albarán", "ALBARÁN"),
    ("Su pedido:", "Ref. pedido", "N.º pedido cliente:", "Pedido:"),
    ("Albarán n.º", "Nº Albarán"), ("Fecha:", "Fecha entrega:"), ("Fecha pedido:",), ("Cliente n.º", "Cód. cliente"),
    ("Lín.", "Nº"), ("Código", "Referencia", "Ref."), ("Descripción", "Artículo"),
    ("Cantidad", "Cant.", "Unidades"), ("Pedido", "Cant. pedida"), ("Pendiente",), ("Ud.", "Unidad"),
    ("Lote", "Nº lote"), ("Caducidad", "Cons. pref.", "F. cad."), ("Peso",),
    {"pcs": ("ud.", "uds", "unidades", "un."), "cases": ("cajas", "caja", "cj"), "kg": ("kg",), "g": ("g",),
     "l": ("l", "litros"), "m": ("m", "metros")},
    ("Total", "Total unidades", "Suma"), "Palé", "Bultos", ("Recibí conforme", "Firma y sello", "Conductor"),
    ("La mercancía viaja por cuenta y riesgo del comprador.", "No se admiten devoluciones pasados 7 días."),
    "Página {p} de {n}", ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    ("%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%d %b %Y"), ("%d/%m/%Y", "%m/%Y", "%d-%m-%Y"),
    ",", (".", ""), ("RECIBIDO", "REVISADO"), "Dirección de entrega:", "IBAN ES91 2100 0418 4502 0005 1332",
)

W["fr"] = Wording(
    "fr", ("BON DE LIVRAISON", "Bon de livraison", "BORDEREAU DE LIVRAISON"),
    ("Votre commande :", "Réf. commande :", "N° commande client", "V/Réf. :"),
    ("BL n°", "N° BL"), ("Date :", "Date de livraison :", "Expédié le :"), ("Date commande :",), ("Code client",),
    ("Lig.", "N°"), ("Référence", "Réf.", "Code article"), ("Désignation", "Libellé"),
    ("Qté livrée", "Quantité", "Qté"), ("Qté cdée", "Commandé"), ("Reliquat", "Reste à livrer"),
    ("Unité", "U."), ("N° lot", "Lot"), ("DLUO", "DDM", "DLC", "À consommer avant"), ("Poids net",),
    {"pcs": ("pièces", "pce", "unités", "u."), "cases": ("colis", "cartons", "crt"), "kg": ("kg",), "g": ("g",),
     "l": ("l", "litres"), "m": ("m", "mètres")},
    ("Total", "Total colis", "Sous-total"), "Palette", "Colis", ("Reçu par", "Signature et cachet", "Visa chauffeur"),
    ("Toute réclamation doit être formulée sous 48 h par lettre recommandée.",
     "Clause de réserve de propriété : loi n° 80.335 du 12 mai 1980."),
    "Page {p}/{n}", ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    ("%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d.%m.%Y"), ("%d/%m/%Y", "%m/%Y", "%d/%m/%y"),
    ",", ("\u202f", " ", ""), ("REÇU", "CONTRÔLÉ"), "Adresse de livraison :",
    "RIB : Crédit Maritime, IBAN FR76 3000 6000 0112 3456 7890 189",
)

W["it"] = Wording(
    "it", ("DOCUMENTO DI TRASPORTO (DDT)", "D.D.T.", "Bolla di consegna"),
    ("Vs. ordine:", "Rif. ordine", "Ordine cliente n.", "Vostro ordine"),
    ("DDT n.", "Numero documento"), ("Data:", "Data documento:", "Data consegna:"), ("Data ordine:",), ("Cod. cliente",),
    ("Riga", "N."), ("Codice", "Cod. art.", "Articolo"), ("Descrizione",),
    ("Quantità", "Q.tà", "Qtà consegnata"), ("Q.tà ordinata", "Ordinato"), ("Residuo",),
    ("U.M.", "UM"), ("Lotto", "N. lotto"), ("Scadenza", "TMC", "Da consumarsi entro"), ("Peso",),
    {"pcs": ("pz", "pezzi", "nr"), "cases": ("cartoni", "CT", "colli"), "kg": ("kg",), "g": ("g",),
     "l": ("l", "litri", "lt"), "m": ("m", "mt")},
    ("Totale", "Totale colli"), "Pallet", "Colli", ("Firma destinatario", "Firma vettore", "Firma conducente"),
    ("Causale del trasporto: vendita. Porto: franco.", "Trasporto a cura del: mittente"),
    "Pag. {p} di {n}", ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y"), ("%d/%m/%Y", "%m/%Y", "%m-%Y"),
    ",", (".", ""), ("RICEVUTO", "CONTROLLATO"), "Luogo di destinazione:", "IBAN IT60 X054 2811 1010 0000 0123 456",
)

W["nl"] = Wording(
    "nl", ("PAKBON", "Pakbon", "Afleverbon"),
    ("Uw ordernr.:", "Uw referentie:", "Inkoopordernr.", "Uw bestelling:"),
    ("Pakbonnr.", "Afleverbonnummer"), ("Datum:", "Leverdatum:"), ("Orderdatum:",), ("Klantnr.",),
    ("Regel", "Nr."), ("Artikelnr.", "Art.nr.", "Code"), ("Omschrijving",),
    ("Aantal", "Geleverd", "Aant."), ("Besteld",), ("Nalevering",), ("Eenheid", "Eenh."),
    ("Partij", "Lotnr.", "Charge"), ("THT", "Houdbaar tot", "TGT"), ("Gewicht",),
    {"pcs": ("stuks", "st.", "stk"), "cases": ("dozen", "doos", "colli"), "kg": ("kg",), "g": ("g", "gr"),
     "l": ("l", "liter", "ltr"), "m": ("m", "meter")},
    ("Totaal", "Subtotaal"), "Pallet", "Colli", ("Voor ontvangst", "Handtekening", "Chauffeur"),
    ("Op al onze leveringen zijn de algemene voorwaarden van toepassing.", "Klachten binnen 8 dagen melden."),
    "Pagina {p} van {n}", ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    ("%d-%m-%Y", "%d-%m-%y", "%d %b %Y", "%Y-%m-%d"), ("%d-%m-%Y", "%m-%Y", "%m/%Y"),
    ",", (".", ""), ("ONTVANGEN", "GECONTROLEERD"), "Afleveradres:", "IBAN NL91 ABNA 0417 1643 00 · KvK 34120377",
)

W["pt"] = Wording(
    "pt", ("GUIA DE REMESSA", "Guia de Remessa", "GUIA DE TRANSPORTE"),
    ("V/ Encomenda:", "Ref. encomenda", "N.º encomenda cliente", "Sua encomenda:"),
    ("Guia n.º", "Documento n.º"), ("Data:", "Data de carga:"), ("Data encomenda:",), ("N.º cliente",),
    ("Lin.", "N.º"), ("Artigo", "Código", "Ref."), ("Descrição", "Designação"),
    ("Quant.", "Quantidade", "Qtd."), ("Encomendado",), ("Pendente",), ("Un.", "Unid."),
    ("Lote",), ("Validade", "Consumir até"), ("Peso",),
    {"pcs": ("un.", "unid.", "UN"), "cases": ("caixas", "cx", "CX"), "kg": ("kg", "KG"), "g": ("g",),
     "l": ("l", "litros", "LT"), "m": ("m", "MT")},
    ("Total", "Total de volumes"), "Palete", "Volumes", ("Recebi", "Assinatura", "Motorista"),
    ("Processado por programa certificado n.º 1234/AT.", "Os bens foram colocados à disposição do adquirente."),
    "Pág. {p}/{n}", ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"),
    ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"), ("%d/%m/%Y", "%m/%Y", "%Y-%m-%d"),
    ",", (".", " ", ""), ("RECEBIDO", "CONFERIDO"), "Local de descarga:", "IBAN PT50 0002 0123 1234 5678 9015 4",
)

W["pl"] = Wording(
    "pl", ("WZ - WYDANIE ZEWNĘTRZNE", "Dowód dostawy", "DOKUMENT WZ"),
    ("Zamówienie:", "Nr zamówienia klienta:", "Wasze zam.:", "Zam. nr"),
    ("WZ nr", "Dokument nr"), ("Data wydania:", "Data:"), ("Data zamówienia:",), ("Nr klienta",),
    ("Lp.",), ("Indeks", "Kod towaru", "Symbol"), ("Nazwa towaru", "Nazwa"),
    ("Ilość", "Ilość wyd."), ("Zamówiono",), ("Pozostało",), ("J.m.", "jm"),
    ("Partia", "Nr partii", "Seria"), ("Data ważności", "Termin przydatności", "Najlepiej spożyć"), ("Waga",),
    {"pcs": ("szt.", "szt"), "cases": ("kart.", "kartony", "opak. zb."), "kg": ("kg",), "g": ("g",),
     "l": ("l", "litr"), "m": ("m", "mb")},
    ("Razem", "Suma"), "Paleta", "Opakowania", ("Wydał", "Odebrał", "Podpis kierowcy"),
    ("Towar sprawdzono przy odbiorze. Reklamacje w ciągu 7 dni.", "Wystawił: system ERP"),
    "Strona {p} z {n}", ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"),
    ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%y"), ("%d.%m.%Y", "%m/%Y", "%Y-%m-%d", "%m.%Y"),
    ",", ("\u00a0", " ", ""), ("PRZYJĘTO", "SPRAWDZONO"), "Miejsce dostawy:",
    "Bank PKO, nr rach. 61 1090 1014 0000 0712 1981 2874",
)

LANGUAGES = tuple(W)


def fmt_date(d: date, pattern: str, w: Wording) -> str:
    """strftime with the language's month names; %b never falls back to the C locale's English."""
    out = pattern.replace("%b", w.months[d.month - 1])
    return d.strftime(out)


def fmt_number(q: Decimal, w: Wording, rng: random.Random, *, unit: str) -> str:
    """A quantity as the supplier's system prints it: decimal comma or point, sometimes thousands grouped,
    weights sometimes with three fixed decimals (SAP's habit: '12,500 kg' is twelve and a half)."""
    sep_thousands = rng.choice(w.thousands)
    if q == q.to_integral_value():
        whole, frac = int(q), ""
        if unit in ("kg", "l") and rng.random() < 0.3:
            frac = rng.choice(("000", "00", "0"))
    else:
        text = format(q.normalize(), "f")
        whole_s, frac = text.split(".")
        whole = int(whole_s)
        if unit in ("kg", "l") and rng.random() < 0.4:
            frac = frac.ljust(3, "0")
    digits = str(whole)
    if sep_thousands and whole >= 1000:
        groups = []
        while digits:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = sep_thousands.join(groups)
    return digits + (w.decimal + frac if frac else "")
