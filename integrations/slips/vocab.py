"""The words packing slips use, in the languages our suppliers print them in.

Labels are matched case-insensitively on OCR text, so they tolerate a missing colon or dot
("Lot-Nr", "LOT NR.", "Lot No:") but not arbitrary spelling; the parser never needs a label
to find a line, labels only say which value is which.
"""
from __future__ import annotations

import re

# Canonical units are the ones the model and Katana rows use: pcs, kg, g, l, m, cases.
UNIT_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(["pcs", "pc", "pce", "pces", "piece", "pieces", "ea", "each", "stk", "stck", "stück", "stuck",
                     "st", "unit", "units", "u", "ud", "uds", "unid", "unidad", "unidades", "pz", "pezzi", "pzi",
                     "nr", "pièce", "pièces", "x", "stuks", "stuk", "szt", "sztuk", "sztuki", "un", "unid", "und", "pç",
                     "pçs", "peças", "pce", "pc.", "ks"], "pcs"),
    **dict.fromkeys(["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramm", "kilogramos", "kilogramas"],
                    "kg"),
    **dict.fromkeys(["g", "gr", "grs", "gram", "grams", "gramm", "gramos", "grammi"], "g"),
    **dict.fromkeys(["l", "lt", "ltr", "ltrs", "litre", "litres", "liter", "liters", "litro", "litri", "litros", "litr",
                     "litry", "litrów"], "l"),
    **dict.fromkeys(["m", "mtr", "mtrs", "meter", "meters", "metre", "metres", "metro", "metri", "metros", "mb", "lfm",
                     "mt"], "m"),
    **dict.fromkeys(["cases", "case", "cs", "cse", "ctn", "ctns", "carton", "cartons", "krt", "karton", "kartons",
                     "box", "boxes", "caja", "cajas", "cj", "ct", "cartone", "cartoni", "colis", "kolli", "doos",
                     "dozen",
                     "caixa", "caixas", "cx", "kart", "karton", "kartony", "opak", "opakowanie", "krt", "bultos",
                     "colli", "volumes", "caisse", "caisses", "cs"], "cases"),
}
# "u", "x", "st", "nr" and "m" are also ordinary letters/words: only trusted as units right after a number.
WEAK_UNITS = frozenset({"u", "x", "st", "nr", "m", "g", "l", "ct"})


def normalise_unit(word: str) -> str | None:
    """'Stk.' → 'pcs', 'CTN' → 'cases', 'Ltr' → 'l'; None when the word is not a unit."""
    if word.strip().rstrip(".") == "I":  # a capital i alone is no word on a slip: OCR's reading of "l"
        return "l"
    key = word.strip().strip(".:,;()[]").lower()
    if key not in UNIT_SYNONYMS and key[:1] in ("i", "|", "1") and len(key) > 1:
        key = "l" + key[1:]  # OCR reads a lone "l" as I, | or 1: "Itr" is "ltr"
    return UNIT_SYNONYMS.get(key)


def _label(*alternatives: str) -> str:
    # Not inside a word, and not glued to a code: "LOT589510" is a lot number, "Lot 589510" a label and one.
    return r"(?<![A-Za-zÀ-ÿ])(?:" + "|".join(alternatives) + r")(?![A-Za-zÀ-ÿ0-9])"


# German 'Los: B26208', 'Los-Nr.', 'Losnummer'; only capitalised and labelled so: 'los' is the Spanish article
# ('Pimientos de los 12 …'), never a label
_LOS = (r"(?-i:L(?:os|OS))(?=\s*[:#])", r"(?-i:L(?:os|OS))[\s\-]*(?:nr|no|nummer)\.?", r"losnummer")
_NUM = r"(?:\s*(?:no|nr|n°|nº|n\.?o|n(?=\.)|num|number|nummer|#)\.?)?"  # "Lot No.", "Charge Nr", "Lotto n°"
# "n[°º]?…lot": French "N° lot", also where the OCR lost the ° ("Nlot L260730")
LOT_LABEL = re.compile(
    _label(r"lot[\s\-]*nr\.?", r"lot[\s\-]*no\.?", r"lot" + _NUM, r"batch" + _NUM, r"charge" + _NUM,
           r"chargen[\s\-]*(?:nr|nummer)\.?", r"ch\.?[\s\-]*b\.?", r"ch\.?[\s\-]*nr\.?", r"lote" + _NUM,
           r"lotto" + _NUM, r"partie" + _NUM, r"partij" + _NUM, r"partijnr\.?", r"lotnummer", r"partia" + _NUM,
           r"nr\.?\s*partii", r"seria" + _NUM, r"n\.?[ºo°]?\s*(?:de\s*)?lote", r"n[°º]?\s*(?:de\s*)?lot",
           r"batch\s*number", r"lot\s*number", r"n\.\s*lotto", *_LOS) + r"\s*[:#.]?\s*", re.I)
# Expiry wordings printed as a label and as a column heading alike, in the eight languages ('Termin
# przydatności' heading a Polish pallet list's column: every expiry of the slip lost without it)
_EXPIRY_WORDS = (r"termin\s*przydatno[śs]ci", r"najlepiej\s*spo[żz]y[ćc]\s*przed", r"data\s*wa[żz]no[śs]ci",
                 r"wa[żz]ne\s*do", r"f(?:echa)?\.?\s*(?:de\s*)?cad(?:ucidad|\.)", r"fecha\s*de\s*caducidad",
                 r"consumo\s*pref(?:erente|\.)", r"data\s*(?:de\s*)?validade", r"consumir\s*at[ée]",
                 r"data\s*(?:di\s*)?scadenza", r"da\s*consumarsi\s*entro", r"mindestens\s*haltbar(?:\s*bis)?",
                 r"haltbarkeit(?:sdatum)?", r"ablaufdatum", r"verbrauchsdatum", r"date\s*(?:de\s*)?p[ée]remption",
                 r"p[ée]remption", r"date\s*limite(?:\s*de\s*consommation)?", r"[àa]\s*consommer\s*avant",
                 r"houdbaarheid(?:sdatum)?", r"houdbaar\s*tot", r"use\s*by\s*date", r"best\s*before\s*end",
                 r"tgt", r"te\s*gebruiken\s*tot")  # Dutch use-by (THT is its best-before)
EXP_LABEL = re.compile(
    _label(r"exp(?:iry|iration|ires)?\.?(?:\s*date)?", r"best\s*before(?:\s*end)?", r"bbd", r"bbe", r"b\.?b\.?",
           r"use\s*by", r"mhd", r"mindestens\s*haltbar\s*bis", r"haltbar\s*bis", r"verfall(?:sdatum)?",
           r"vence", r"venc\.?", r"caducidad", r"cad\.?", r"consumir\s*antes\s*de", r"scad\.?(?:enza)?",
           r"da\s*consumarsi\s*entro", r"dluo", r"ddm", r"dlc", r"à\s*consommer\s*avant", r"tht",
           r"(?:ten\s*minste\s*)?houdbaar\s*tot", r"vervaldatum", r"validade", r"val\.", r"consumir\s*até",
           r"data\s*de\s*validade", r"wa[żz]ne\s*do", r"data\s*wa[żz]no[śs]ci", r"termin\s*przydatno[śs]ci",
           r"tmc", r"best\s*by", r"bb\s*date", r"exp\.?\s*date", r"expiration", r"mind\.?\s*haltbar\s*bis",
           r"consumo\s*pref\.?(?:erente)?", r"consumir\s*preferentemente\s*antes\s*de", *_EXPIRY_WORDS)
    + r"\s*[:.]?\s*", re.I)
PO_LABEL = re.compile(
    _label(r"p\.?\s?o\.?" + _NUM, r"purchase\s*order" + _NUM, r"your\s*order" + _NUM, r"customer\s*order" + _NUM,
           r"order" + _NUM, r"bestell(?:ung|nummer|nr\.?)" + _NUM, r"ihre\s*bestellung" + _NUM,
           r"pedido" + _NUM, r"su\s*pedido" + _NUM, r"ordine" + _NUM, r"vs\.?\s*ordine" + _NUM,
           r"commande" + _NUM, r"bon\s*de\s*commande" + _NUM, r"bestelnummer", r"bestelling" + _NUM,
           r"ordernummer", r"inkooporder" + _NUM, r"encomenda" + _NUM, r"zam[óo]wieni[ea]" + _NUM,
           r"nr\s*zam[óo]wienia", r"auftrag(?:s[\s\-]*nr\.?)?" + _NUM, r"bestell[\s\-]*nr\.?", r"order\s*ref\.?",
           r"ref\.?\s*(?:pedido|commande|ordine|encomenda)", r"customer\s*po", r"your\s*po",
           r"your\s*ref(?:erence)?\.?") + r"\s*[:#.]?\s*", re.I)
# Whose order a PO label names: ours ('Your order', 'Customer PO', 'Ihre Bestellung', 'Votre commande',
# 'Su pedido', 'Vs. ordine', 'Uw order', 'Sua encomenda', 'Nr zamówienia klienta') is the number Katana knows;
# the supplier's own ('Sales order', 'Auftrags-Nr.', 'Notre commande', 'Nuestro pedido', 'Ns. ordine',
# 'Onze order', 'Nosso pedido') is theirs. Matched on the label and the words just before it.
OUR_ORDER = re.compile(
    r"(?<![A-Za-zÀ-ÿ])(?:your|yr|customer|cust\.?|client|ihre?|kunden|votre|vos|v/|su|sus|s/|vs\.?|vostro|"
    r"vostra|uw|seu|sua|vosso|vossa|pa[ńn]stwa|wasze?|klienta|cliente|kunde)(?![A-Za-zÀ-ÿ])", re.I)
THEIR_ORDER = re.compile(
    r"(?<![A-Za-zÀ-ÿ])(?:sales|our|works|job|auftrag\w*|unser[e]?|notre|nos|n/|nuestro|nuestra|ns\.?|nostro|"
    r"nostra|onze|ons|nosso|nossa|nasze?)(?![A-Za-zÀ-ÿ])", re.I)
DATE_LABEL = re.compile(
    _label(r"(?:delivery|ship(?:ping|ment)?|dispatch|slip)?\s*date", r"datum", r"liefer\s*datum", r"lieferdatum",
           r"versanddatum", r"fecha(?:\s*de\s*entrega)?", r"data(?:\s*(?:di\s*)?consegna)?",
           r"date\s*de\s*livraison", r"dated") + r"\s*[:.]?\s*", re.I)
# The date the order was placed, printed beside the slip's own date: never the slip's date.
ORDER_DATE_LABEL = re.compile(_label(
    r"(?:purchase\s*)?order\s*date", r"p\.?\s?o\.?\s*date", r"date\s*(?:of\s*)?(?:order|p\.?\s?o\.?)",
    r"bestelldatum", r"auftragsdatum", r"datum\s*(?:der\s*)?bestellung", r"fecha\s*(?:de(?:l)?\s*)?pedido",
    r"data\s*(?:dell['’]?\s*)?ordine", r"data\s*(?:do\s*)?pedido", r"data\s*(?:da\s*)?encomenda",
    r"date\s*(?:de\s*(?:la\s*)?)?commande", r"date\s*cde", r"besteldatum", r"orderdatum",
    r"data\s*zam[óo]wienia", r"data\s*zlecenia"), re.I)
SUPPLIER_LABEL = re.compile(
    _label(r"supplier", r"vendor", r"shipper", r"ship\s*from", r"from", r"sold\s*by", r"lieferant", r"absender",
           r"proveedor", r"remitente", r"fornitore", r"mittente", r"fournisseur", r"expéditeur") + r"\s*[:.]?\s*",
    re.I)
# A block addressed to us: the company printed there is the customer, never the supplier.
SHIP_TO_LABEL = re.compile(
    _label(r"ship\s*to", r"deliver\s*to", r"delivery\s*address", r"bill\s*to", r"sold\s*to", r"consignee",
           r"customer", r"lieferadresse", r"lieferanschrift", r"empfänger", r"kunde", r"destinatario",
           r"dirección\s*de\s*entrega", r"cliente", r"destinataire", r"livrer\s*à", r"client"), re.I)
TITLE_WORDS = re.compile(
    _label(r"packing\s*(?:slip|list)", r"delivery\s*(?:note|slip)", r"dispatch\s*note", r"lieferschein",
           r"albar[aá]n", r"nota\s*de\s*entrega", r"documento\s*di\s*trasporto", r"d\.?d\.?t\.?",
           r"bolla\s*di\s*consegna", r"bon\s*de\s*livraison", r"bordereau\s*de\s*livraison", r"page"), re.I)
# Rows from here on are the slip's footer, not goods.
FOOTER_WORDS = re.compile(
    _label(r"total", r"totals", r"summe", r"gesamt", r"gesamtgewicht", r"totale", r"totale\s*colli", r"signature",
           r"received\s*by", r"unterschrift", r"firma", r"signé", r"gross\s*weight", r"net\s*weight",
           r"bruttogewicht", r"peso", r"poids", r"packages", r"colli", r"bultos", r"thank\s*you",
           r"vielen\s*dank", r"gracias", r"grazie", r"merci", r"totaal", r"razem", r"suma", r"bedankt",
           r"obrigad[oa]", r"dzi[ęe]kujemy", r"brutogewicht", r"waga", r"volumes", r"cartons?\s*total",
           # a continued table's carried-over sum (outside review 17)
           r"brought\s*forward", r"carried\s*forward", r"[üu]bertrag", r"transporte", r"a\s*transportar",
           r"report", r"à\s*reporter", r"riporto", r"suma\s*y\s*sigue", r"przeniesienie",
           # the packages count in fr, de, pl beside 'packages', 'bultos', 'colli', 'volumes' (a pallet's
           # 'Total colis 5' the photo cut to 'tal Colis 5' read as a line of 5 without ⚠); not the unit
           # after an item's quantity ('264 colis  BOX-6253' ended the goods)
           r"(?<!\d)(?<!\d\s)(?<!\d\s\s)(?:colis|packst(?:ü|ue)ck(?:e|en)?|opakowa[ńn]|opakowania)"), re.I)
COMPANY_SUFFIX = re.compile(
    r"(?<![A-Za-z])(?:gmbh|ag|kg|ltd|limited|inc|llc|plc|co|corp|s\.?\s?l\.?|s\.?\s?a\.?|s\.?\s?r\.?\s?l\.?|"
    r"s\.?p\.?a\.?|sarl|sas|bv|nv|oy|ab)\.?(?![A-Za-z])", re.I)

# Column headings of the goods table, by what the column holds.
OTHER_AMOUNTS = ("ordered", "outstanding", "weight")  # amount columns that are not the delivered quantity
COLUMN_WORDS: dict[str, re.Pattern[str]] = {
    "pos": re.compile(_label(r"pos\.?", r"#", r"line", r"ln", r"no\.", r"nr\.?", r"n[°º]", r"n\.[°º]", r"riga",
                             r"lp\.?", r"l[íi]n\.?", r"regel", r"ligne"), re.I),
    "sku": re.compile(_label(r"sku", r"item(?:\s*(?:no\.?|code|#))?", r"art(?:ikel)?\.?[\s\-]*nr\.?", r"artikel",
                             r"article", r"code", r"codice", r"c[oó]digo", r"cod\.", r"ref\.?", r"réf\.?",
                             r"referencia",
                             r"part\s*(?:no\.?|number)", r"product\s*code", r"material", r"art\.?\s*nr\.?",
                             r"artikelnummer", r"artikelcode", r"productcode", r"c[óo]d\.?\s*(?:art\.?|artigo|produto)",
                             r"artigo", r"ref\.?ª", r"indeks", r"symbol", r"kod(?:\s*towaru)?",
                             r"stock\s*(?:code|#|no\.?)",
                             r"sachnummer", r"materialnr\.?", r"art\.?\s*-?\s*nr\.?"), re.I),
    "description": re.compile(_label(r"description", r"desc\.?", r"bezeichnung", r"artikelbezeichnung",
                                     r"descripci[oó]n", r"descrizione", r"d[ée]signation", r"product", r"produkt",
                                     r"producto", r"prodotto", r"produit", r"goods", r"ware", r"omschrijving",
                                     r"descri[çc][ãa]o", r"designa[çc][ãa]o", r"nazwa(?:\s*towaru)?", r"opis",
                                     r"libell[ée]", r"denominaci[óo]n", r"concepto", r"artikeltext", r"beschreibung"),
                    re.I),
    # 'Qty Despatched', 'Qté livrée' are one heading each: before 'Qty', 'Qté' alone (not a second quantity)
    "quantity": re.compile(_label(r"qty\.?\s*(?:delivered|despatched|dispatched|shipped|ship|del\.?)",
                                  # 'Cant. enviada', 'Quantità evasa': one heading (outside review 17)
                                  r"(?:cant|cantidad|quantidade|qtde?|quant|q\.?\s?t[àa]|quantit[àa])\.?\s?"
                                  r"(?:enviad[oa]s?|evas[oa]|fornecid[oa]s?)",
                                  r"qt[ée]\.?\s*livr[ée]e?", r"cant\.?\s*servida", r"q\.?\s?t[àa]\.?\s*consegnata",
                                  r"qtd\.?\s*entregue", r"ilo[śs][ćc]\s*wyd(?:ana|\.)?",
                                  r"qty\.?(?:\s*shipped)?", r"quantity", r"shipped", r"menge", r"anzahl",
                                  r"cantidad", r"cant\.?", r"q\.?\s?t[àa]\.?", r"quantit[àa]", r"qt[ée]\.?",
                                  r"quantit[ée]", r"aantal", r"hoeveelheid", r"quantidade", r"qtde?\.?", r"ilo[śs][ćc]",
                                  # 'Quant. livrée', 'Quant. entregue' (pt, fr, it); 'Quant.' alone is no heading here:
                                  # it read more tables of the third corpus, and on its held-back seed made two wrong
                                  # quantities sure (measured and dropped in the twelfth session)
                                  r"quant\.\s?(?:livr[ée]e?s?|entregues?|consegnat[oa])",
                                  # 'Aant.' alone; 'Aant. besteld', 'Aant. geleverd' are the words after it
                                  r"aant\.(?!\s*(?:besteld|geleverd|colli|dozen|pakken))",
                                  r"liefermenge", r"unidades", r"units", r"qty\s*shpd", r"qty\s*desp", r"geleverd",
                                  # the delivered amount beside an ordered one, named as such
                                  r"delivered", r"despatched", r"dispatched",
                                  r"(?:(?<=/)|(?<=/\s))ship",  # 'Qty Ord/Ship'
                                  r"geliefert", r"servid[oa]s?", r"livr[ée]e?s?", r"consegnat[oa]", r"entregues?",
                                  # it, es/pt: 'shipped', 'sent', 'supplied'; not a letterhead's 'Enviado a:',
                                  # 'Fornecido por' (outside review 17)
                                  r"evas[oa]", r"enviad[oa]s?(?!\s*(?:a|para|por)\b)", r"fornecid[oa]s?(?!\s*por\b)",
                                  r"dostarczono", r"wydano"),
                         re.I),
    # Amounts printed beside the delivered one that are NOT it: what was ordered, what is still to come, what
    # the goods weigh. Named, so their numbers are never read as the quantity (a short delivery read as the
    # ordered amount, a back-order 0, a net weight for a count of cartons).
    "ordered": re.compile(_label(r"ordered", r"qty\.?\s*ord(?:ered|\.)?", r"ord(?:er)?\.?\s*qty", r"bestellt",
                                 r"bestellmenge", r"pedid[oa]s?", r"cant\.?\s*pedida", r"command[ée]e?s?",
                                 r"quant\.\s?(?:ord|enc|cd|com|ped)\w*\.?",  # 'Quant. ord.', 'Quant. cdée'
                                 r"qt[ée]\.?\s*(?:cd[ée]e|command[ée]e)", r"ordinat[oa]",
                                 r"q\.?\s?t[àa]\.?\s*ordinata", r"besteld", r"encomendad[oa]s?",
                                 r"qtd\.?\s*encomendada", r"zam[óo]wiono", r"ilo[śs][ćc]\s*zam\.?"), re.I),
    "outstanding": re.compile(_label(r"back[\s\-]*order(?:ed)?", r"b/o", r"outstanding", r"to\s*follow",
                                     r"r[üu]ckstand", r"offen", r"pendiente", r"reliquat", r"restant",
                                     r"residuo", r"da\s*consegnare", r"in\s*sospeso", r"openstaand",
                                     r"nalevering", r"pendente", r"em\s*falta", r"pozosta[łl]o",
                                     r"do\s*dostarczenia"), re.I),
    "unit": re.compile(_label(r"unit", r"uom", r"u/m", r"u\.m\.", r"einheit", r"me", r"ud\.?", r"unidad",
                              r"um", r"unit[ée]", r"eenheid", r"eenh\.?", r"unidade", r"un\.", r"unid\.",
                              r"j\.?\s?m\.?",
                              r"jedn\.?", r"einh\.?", r"medida"), re.I),
    "lot": re.compile(_label(r"lot" + _NUM, r"n[°º]\s*lot", r"batch" + _NUM, r"charge" + _NUM,  # 'Partijnr.'
                             r"chargen[\s\-]*(?:nr|nummer)\.?", r"lote" + _NUM, r"lotto" + _NUM, r"partij" + _NUM,
                             r"partia" + _NUM, r"partie" + _NUM, r"nr\s*partii", r"lotnummer", r"n\.?º?\s*lote",
                             r"seria" + _NUM, *_LOS),
                     re.I),
    "expiry": re.compile(_label(r"exp(?:iry|\.)?(?:\s*date)?", r"best\s*before", r"bbd", r"bbe", r"mhd",
                                r"use\s*by", r"vence", r"caducidad", r"scad(?:enza|\.)?", r"dluo", r"ddm", r"dlc",
                                r"verfall(?:sdatum)?", r"tht", r"houdbaar\s*tot", r"vervaldatum", r"validade",
                                r"val\.", r"data\s*wa[żz]no[śs]ci", r"wa[żz]ne\s*do", r"tmc", r"best\s*by",
                                r"expiration", r"use\s*by", r"bb\s*date", r"haltbar\s*bis", *_EXPIRY_WORDS),
                       re.I),
    # Columns whose values are no field of a goods line. Named so their numbers get a column of their own
    # instead of falling into the neighbouring code or lot cell ('Art.-Nr. | EAN', 'Batch | Weight (kg)':
    # 'FLR-10014006381333931', 'B230430.50' read sure, outside review).
    "ean": re.compile(_label(r"ean(?:[\s\-]*(?:code|nr\.?|13))?", r"gtin", r"upc", r"bar\s*code", r"barcode",
                             r"strichcode", r"c[óo]digo\s*de\s*barras", r"codice\s*a\s*barre", r"code[\s\-]*barre",
                             r"kod\s*kreskowy"), re.I),
    # What the goods weigh (also one of OTHER_AMOUNTS: never the delivered quantity). Not 'Net Qty',
    # 'Netto-Menge': a quantity heading.
    "weight": re.compile(_label(r"(?:net|gross|netto|brutto|nett)?[\s\-]*(?:weight|wt\.?|gewicht)(?:\s*\(?kg\)?)?",
                                r"gewicht", r"peso(?:\s*(?:netto|lordo|neto|bruto|l[ií]quido))?(?:\s*\(?kg\)?)?",
                                r"poids(?:\s*(?:net|brut))?(?:\s*\(?kg\)?)?", r"waga(?:\s*(?:netto|brutto))?",
                                r"(?<!menge\s)(?<!qty\s)(?:net|gross|netto|brutto)(?![\s\-/]*(?:qty|quantity|menge|q\.?t|cant|quantit))"
                                r"(?:\s*\(?kg\)?)?"), re.I),
}
# Column kinds whose values are none of a line's fields: never its code, lot or quantity (table.py).
NO_FIELD_KINDS = ("ean", "weight")
# Every column beside the goods' own fields: their cells hold no item code (nor, but for a misplaced date
# under a heading the vocabulary lacks, any date).
SIDE_COLUMNS = tuple(dict.fromkeys((*NO_FIELD_KINDS, *OTHER_AMOUNTS)))


# Numbers that look like codes but belong to the letterhead: phone, fax, tax and bank identifiers ('Bank PKO,
# nr rach. 61 1090 …', 'Bankverbindung: …', 'Banque …': the account's digit groups join into one code).
PHONE_OR_TAX = re.compile(
    _label(r"tel\.?", r"phone", r"fax", r"vat", r"ust[\s\-]*id(?:nr)?\.?", r"nif", r"cif", r"p\.?\s?iva", r"nip",
           r"btw",
           r"tva", r"iban", r"bic", r"swift", r"kvk", r"hrb", r"regon", r"e-?mail", r"bank(?:verbindung)?",
           r"banco", r"banca", r"banque", r"nr\.?\s*rach(?:unku)?\.?", r"rekening(?:nummer)?", r"aba"), re.I)
DOC_NUMBER_LABEL = re.compile(
    _label(r"(?:delivery\s*)?note" + _NUM, r"slip" + _NUM, r"shipment" + _NUM, r"beleg[\s\-]*nr\.?",
           r"lieferschein[\s\-]*nr\.?", r"albar[aá]n" + _NUM, r"ddt" + _NUM, r"bl\s*n[°º.]"), re.I)
_LABELS_GLUED = (LOT_LABEL, EXP_LABEL, PO_LABEL, DATE_LABEL, SHIP_TO_LABEL, SUPPLIER_LABEL, DOC_NUMBER_LABEL,
                 TITLE_WORDS)
_CONFUSIONS = (
    (re.compile(r"(?<![0-9])0(?=[a-zà-ÿ]{2,})"), "O"),  # "0rder", "0livar": a zero never starts a word
    (re.compile(r"(?<![0-9A-Za-z])0(?=[A-Z]+(?:[-\s]|$))"), "O"),  # "0IL-8556"
    (re.compile(r"(?<![0-9A-Za-z][A-Za-z])(?<=[A-Z])0(?=[-:\s]|$)"), "O"),  # "P0-73087", not "AB0-1"
    (re.compile("："), ":"),
    # A label's capital I read as l, | or 1, or doubled ('llość wyd.', 'Illość', 'ltem no.', '|ndeks'): the
    # OCR's commonest confusion, in the label words that start with an I (pl 'Ilość', 'Indeks', en 'Item')
    (re.compile(r"(?<![A-Za-zÀ-ÿ0-9])(?:I[l|]|[l|1])(?=(?:lo[śs][ćc]|tem|ndeks)(?![a-zà-ÿ]))"), "I"),
)


# A date glued to the code before it ("LOT63970529-12-2026", "L2413F08/02/2026"): a table's lot and expiry
# cells that the OCR read as one word. Only a full day-month-year after at least three code characters: a month
# and year alone end lots, item codes and order numbers too ('PRD-11-2026', 'PO-4711-12-2026'; outside review
# 25), so they are cut only where a lot's cell shows a date belongs there (table._glued_month).
_GLUED_DATE = re.compile(r"(?<=[A-Za-z0-9][A-Za-z0-9\-]{2})(?<![./\-]\d)(?=\d{2}[./\-]\d{2}[./\-]\d{4}(?!\d))")


def glued_pieces(token: str) -> set[str]:
    """The date cut off the code it was glued to in one OCR word, and that code: where either ends is a guess
    ('L2413F08/02/2026' → {'L2413F', '08/02/2026'}: or L2413F0 and 8 February)."""
    pieces = _GLUED_DATE.sub(" ", token).split(" ")
    return set(pieces) if len(pieces) > 1 else set()


_ZERO_IN_LETTERS = re.compile(r"(?<=[A-Za-z])0(?=[A-Za-z])")


def _o_between_letters(word: re.Match[str]) -> str:
    """'C0LIS', 'B0X', 'L0T581205': a zero between letters is the OCR's O in a word or a label glued to its
    code. In a code with other digits ('24K0A15', 'BX0A-1204') it is as likely printed: left as read, and
    items.code_certainty marks it."""
    text = re.sub(r"^([Ll])0([Tt])(?![A-Za-z])", r"\1O\2", word.group())  # the lot label glued to its number
    if any(c.isdigit() for c in _ZERO_IN_LETTERS.sub("", text)):
        return text
    return _ZERO_IN_LETTERS.sub("O", text)


# A label ending in its colon, dot or '#' with the value glued on ('Art.nr.822418', 'Los:B26208',
# 'Quantidade:21cx', 'THT:03/2027'): the OCR lost the space. Only a word that reads as a whole label is cut
# off, so 'S.L.', 'P.IVA', 'Tel.+49' or a code with a colon in it stay as printed.
_LABEL_END = re.compile(r"(?<=[A-Za-zÀ-ÿ.])[.:#](?=[A-Za-z0-9])")


def _label_glued_to_value(word: re.Match[str]) -> str:
    text = word.group()
    for end in reversed(list(_LABEL_END.finditer(text))):  # the longest label: "Art.nr.", not "Art."
        label = text[:end.end()]
        if any((hit := pattern.match(label)) and hit.end() >= len(label.rstrip(".:#")) for pattern in _value_labels()):
            return label + " " + text[end.end():]
    return text


def _value_labels() -> tuple[re.Pattern[str], ...]:
    """The labels a value follows: a code's, a quantity's, a lot's, an expiry's, the PO's and the date's."""
    return (LOT_LABEL, EXP_LABEL, PO_LABEL, DATE_LABEL,
            *(COLUMN_WORDS[kind] for kind in ("sku", "quantity", "lot", "expiry")))


def unglue(text: str) -> str:
    """Undo what OCR does to slips: dropped spaces across wide gaps ('CHC-6152Zartbitter',
    '1.952,7 kgCharge: L1') and O read as 0 inside words ('L0T', 'B0X', '0rder').

    A digit followed by a capitalised word, or any letter followed by a capitalised label, is a seam.
    """
    for pattern, replacement in _CONFUSIONS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\S+", _o_between_letters, text)
    text = re.sub(r"\S+", _label_glued_to_value, text)
    text = re.sub(r"(?<=\d)(?=[A-ZÀ-Ý][a-zà-ÿ]{2,})|(?<=[a-zà-ÿ]{2})(?=\d)", " ", text)
    text = _GLUED_DATE.sub(" ", text)
    out, last = [], 0
    for m in re.finditer(r"(?<=[A-Za-zà-ÿ0-9.%])(?=[A-ZÀ-Ý])", text):
        if any((hit := label.match(text[m.start():])) and len(hit.group().strip()) >= 3 for label in _LABELS_GLUED):
            out.append(text[last:m.start()])
            last = m.start()
    out.append(text[last:])
    return " ".join(part for part in out)
