"""How suppliers in eight countries word a delivery note: an evaluation corpus's vocabulary.

Written apart from the tuning corpus (sandbox/slips/locales.py) and from the parser's vocabulary: several
headings and labels here are ones the parser has never been given (that is the point of a held-out set).
Each language prints numbers and dates its own way; English comes as a US and a UK variant, whose dates
differ (month first / day first) while the words barely do.
"""
from __future__ import annotations

from dataclasses import dataclass

MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", "de": "Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez",
    "es": "ene feb mar abr may jun jul ago sep oct nov dic", "fr": "janv févr mars avr mai juin juil août sept oct nov déc",
    "it": "gen feb mar apr mag giu lug ago set ott nov dic", "nl": "jan feb mrt apr mei jun jul aug sep okt nov dec",
    "pt": "jan fev mar abr mai jun jul ago set out nov dez", "pl": "sty lut mar kwi maj cze lip sie wrz paź lis gru",
}


@dataclass(frozen=True)
class Language:
    code: str  # en-us, en-gb, de, es, fr, it, nl, pt, pl
    words: str  # key of MONTHS and of the product names
    decimal: str
    group: str  # thousands separator ("" none, " " a space)
    dates: tuple[str, ...]  # strftime-like patterns: d, m, y, b (month abbreviation)
    title: tuple[str, ...]
    po: tuple[str, ...]
    date: tuple[str, ...]
    doc_no: tuple[str, ...]
    ship_to: tuple[str, ...]
    heads: dict[str, tuple[str, ...]]  # code, name, qty, unit, lot, exp, line
    labels: dict[str, tuple[str, ...]]  # qty, lot, exp, code: printed before a value in block layouts
    units: dict[str, tuple[str, ...]]
    footer: tuple[str, ...]
    towns: tuple[str, ...]


def _units(pcs: str, kg: str, g: str, l: str, m: str, cases: str) -> dict[str, tuple[str, ...]]:
    return {k: tuple(v.split("|")) for k, v in zip(("pcs", "kg", "g", "l", "m", "cases"), (pcs, kg, g, l, m, cases))}


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("en-us", "en", ".", ",", ("m/d/y", "b d, y"), ("PACKING LIST", "Shipping Manifest", "Delivery Ticket"),
             ("Customer PO", "PO No", "Your PO", "P.O. #"), ("Ship Date", "Shipped", "Date"),
             ("Packing List #", "Ticket No", "Shipment ID"), ("Ship To", "Consignee", "Sold To"),
             {"code": ("Item Code", "Part No.", "Stock #", "Product ID", "Catalog #"),
              "name": ("Item Description", "Description", "Product Name"),
              "qty": ("Qty Shpd", "Shipped", "Units", "Quantity"), "unit": ("U/M", "Unit", "Pack"),
              "lot": ("Lot #", "Lot Number", "Batch"), "exp": ("Exp Date", "Expiration", "Best By"), "line": ("Ln", "#")},
             {"qty": ("Qty:", "Shipped:"), "lot": ("Lot:", "Lot #"), "exp": ("Exp:", "Best by:", "Expires"),
              "code": ("Item:", "Part #")},
             _units("pcs|ea|EA|units", "kg|KG", "g", "L|ltr", "m|ft", "cs|CS|cases|boxes"),
             ("Total Cartons: {n}", "Total Weight: {w} kg", "Thank you for your business!"),
             ("Austin, TX 78701", "Columbus, OH 43004", "Fresno, CA 93650")),
    Language("en-gb", "en", ".", ",", ("d/m/y", "d b y"), ("DESPATCH NOTE", "Delivery Note", "Goods Despatched"),
             ("Order Ref", "Your Order", "Purchase Order No"), ("Despatch Date", "Date", "Delivered"),
             ("Note No", "Despatch No", "Consignment"), ("Deliver To", "Delivery Address", "Invoice To"),
             {"code": ("Stock Code", "Product Code", "Our Ref", "Item Ref"), "name": ("Description", "Product", "Details"),
              "qty": ("Qty Desp", "Despatched", "Qty", "Quantity"), "unit": ("Unit", "Pack Size", "UOM"),
              "lot": ("Batch No", "Batch", "Lot"), "exp": ("Use By", "BB Date", "Best Before"), "line": ("Line", "No")},
             {"qty": ("Qty:", "Despatched:"), "lot": ("Batch:", "Batch No"), "exp": ("Use by", "Best before:", "BB"),
              "code": ("Code:", "Ref:")},
             _units("each|pcs|units", "kg|kilos", "g", "L|litres", "m|metres", "cases|ctns|packs"),
             ("Total packages: {n}", "Goods received in good condition: ______", "Gross weight {w} kg"),
             ("Leeds LS11 5QB", "Bristol BS1 6QF", "Norwich NR3 1JU")),
    Language("de", "de", ",", ".", ("d.m.y", "d. b y"), ("Lieferschein", "LIEFERSCHEIN", "Warenbegleitschein"),
             ("Ihre Bestell-Nr.", "Auftrag", "Bestellung", "Ihr Zeichen"), ("Lieferdatum", "Datum", "Versanddatum"),
             ("Lieferschein-Nr.", "Beleg", "Vorgang"), ("Lieferadresse", "Warenempfänger", "Kunde"),
             {"code": ("Artikel-Nr.", "Art.Nr.", "Sachnummer", "Materialnr.", "Artikelcode"),
              "name": ("Bezeichnung", "Artikeltext", "Beschreibung"), "qty": ("Menge", "Liefermenge", "Anz."),
              "unit": ("Einh.", "ME", "VE"), "lot": ("Charge", "Chargennr.", "Los"), "exp": ("MHD", "Haltbar bis", "Verfall"),
              "line": ("Pos", "Nr.")},
             {"qty": ("Menge:", "Liefermenge:"), "lot": ("Charge:", "Ch.-Nr."), "exp": ("MHD:", "mind. haltbar bis"),
              "code": ("Art.-Nr.:", "Artikel:")},
             _units("Stk|Stück|St.", "kg", "g", "l|Liter", "m|lfm", "Krt|Kart.|VE"),
             ("Anzahl Packstücke: {n}", "Gewicht gesamt: {w} kg", "Ware erhalten: ____________"),
             ("80331 München", "28195 Bremen", "70173 Stuttgart")),
    Language("es", "es", ",", ".", ("d/m/y", "d-b-y"), ("ALBARÁN", "Albarán de entrega", "Nota de entrega"),
             ("Su pedido", "N.º pedido", "Ref. pedido", "Pedido cliente"), ("Fecha", "Fecha envío", "Fecha entrega"),
             ("Albarán n.º", "Documento", "Nº albarán"), ("Enviar a", "Cliente", "Dirección de entrega"),
             {"code": ("Artículo", "Cód. artículo", "Referencia", "Código"), "name": ("Descripción", "Concepto", "Denominación"),
              "qty": ("Cantidad", "Unidades", "Cant."), "unit": ("Ud.", "U.M.", "Medida"), "lot": ("Lote", "Nº lote"),
              "exp": ("Caducidad", "Cad.", "Consumo pref."), "line": ("Lín.", "Nº")},
             {"qty": ("Cantidad:", "Uds.:"), "lot": ("Lote:", "Nº lote:"), "exp": ("Caducidad:", "Cad.:", "Consumir antes de"),
              "code": ("Ref.:", "Código:")},
             _units("uds|ud.|unidades", "kg|kgs", "g|gr", "l|litros", "m|metros", "cajas|cj|bultos"),
             ("Total bultos: {n}", "Peso total: {w} kg", "Recibí conforme: ________"),
             ("46001 Valencia", "41001 Sevilla", "28013 Madrid")),
    Language("fr", "fr", ",", " ", ("d/m/y", "d b y"), ("BON DE LIVRAISON", "Bordereau de livraison", "Bon d'expédition"),
             ("Votre commande", "N° de commande", "Réf. commande"), ("Date", "Date d'expédition", "Livré le"),
             ("BL N°", "N° de bon", "Bordereau"), ("Adresse de livraison", "Destinataire", "Client"),
             {"code": ("Référence", "Code article", "Réf. fourn."), "name": ("Désignation", "Libellé", "Article"),
              "qty": ("Qté livrée", "Quantité", "Qté"), "unit": ("Unité", "U.", "Cond."), "lot": ("N° de lot", "Lot"),
              "exp": ("DLUO", "DDM", "À consommer avant"), "line": ("Ligne", "N°")},
             {"qty": ("Qté :", "Quantité :"), "lot": ("Lot :", "N° lot :"), "exp": ("DDM :", "DLUO :", "DLC"),
              "code": ("Réf. :", "Code :")},
             _units("pce|pièces|u", "kg", "g", "l|L", "m", "colis|cartons|caisses"),
             ("Nombre de colis : {n}", "Poids total : {w} kg", "Réception conforme : ________"),
             ("69002 Lyon", "33000 Bordeaux", "13002 Marseille")),
    Language("it", "it", ",", ".", ("d/m/y", "d.m.y", "d b y"), ("DOCUMENTO DI TRASPORTO", "D.d.T.", "Bolla di consegna"),
             ("Vs. ordine n.", "Rif. ordine", "Ordine cliente"), ("Data", "Data documento", "Data spedizione"),
             ("DDT n.", "Numero documento", "Bolla n."), ("Destinazione merce", "Destinatario", "Spett.le"),
             {"code": ("Codice articolo", "Cod. art.", "Articolo"), "name": ("Descrizione", "Descrizione merce"),
              "qty": ("Quantità", "Q.tà", "Qtà"), "unit": ("U.M.", "Um"), "lot": ("Lotto", "N. lotto"),
              "exp": ("Scadenza", "TMC", "Da consumarsi entro"), "line": ("Riga", "N.")},
             {"qty": ("Q.tà:", "Quantità:"), "lot": ("Lotto:", "Lotto n."), "exp": ("Scad.:", "Scadenza:", "TMC:"),
              "code": ("Cod.:", "Articolo:")},
             _units("pz|pezzi|n.", "kg", "g|gr", "l|lt", "m|mt", "ct|cartoni|colli"),
             ("Numero colli: {n}", "Peso lordo kg {w}", "Firma conducente: ________"),
             ("43121 Parma", "40121 Bologna", "10121 Torino")),
    Language("nl", "nl", ",", ".", ("d-m-y", "d b y"), ("PAKBON", "Afleverbon", "Leveringsbon"),
             ("Uw ordernummer", "Inkooporder", "Uw referentie"), ("Leverdatum", "Datum", "Verzenddatum"),
             ("Pakbonnummer", "Zending", "Bon nr."), ("Afleveradres", "Geleverd aan", "Klant"),
             {"code": ("Artikelnummer", "Art. nr.", "Artikelcode"), "name": ("Omschrijving", "Artikel", "Product"),
              "qty": ("Aantal", "Geleverd", "Hoeveelheid"), "unit": ("Eenheid", "Eenh."), "lot": ("Partij", "Lotnummer", "Charge"),
              "exp": ("THT", "Houdbaar tot", "Tenminste houdbaar tot"), "line": ("Regel", "Nr")},
             {"qty": ("Aantal:", "Geleverd:"), "lot": ("Partij:", "Lot:"), "exp": ("THT:", "Houdbaar tot:"),
              "code": ("Art.nr.:", "Code:")},
             _units("st|stuks|stk", "kg", "g|gr", "l|liter", "m|meter", "doos|dozen|colli"),
             ("Aantal colli: {n}", "Totaal gewicht: {w} kg", "Voor ontvangst: ________"),
             ("3011 AB Rotterdam", "5611 AA Eindhoven", "9711 LM Groningen")),
    Language("pt", "pt", ",", ".", ("d/m/y", "d-b-y"), ("GUIA DE REMESSA", "Nota de Entrega", "Guia de Transporte"),
             ("V/ encomenda", "Nº encomenda", "Ref. encomenda"), ("Data", "Data de expedição", "Data de carga"),
             ("Guia n.º", "Documento n.º", "Remessa"), ("Local de descarga", "Destinatário", "Cliente"),
             {"code": ("Artigo", "Código", "Ref.ª"), "name": ("Descrição", "Designação"), "qty": ("Quantidade", "Qtd.", "Qtde"),
              "unit": ("Un.", "Unid."), "lot": ("Lote", "N.º lote"), "exp": ("Validade", "Val.", "Consumir até"),
              "line": ("Lin.", "N.º")},
             {"qty": ("Qtd.:", "Quantidade:"), "lot": ("Lote:", "N.º lote:"), "exp": ("Validade:", "Val.:"),
              "code": ("Artigo:", "Ref.:")},
             _units("un|unid.|pç", "kg", "g", "l|lt", "m", "cx|caixas|volumes"),
             ("Total de volumes: {n}", "Peso bruto: {w} kg", "Recebido por: ________"),
             ("4050-215 Porto", "1100-148 Lisboa", "3000-079 Coimbra")),
    Language("pl", "pl", ",", " ", ("d.m.y", "d-m-y"), ("DOKUMENT WZ", "Wydanie zewnętrzne", "List przewozowy"),
             ("Nr zamówienia", "Zamówienie", "Wasze zam."), ("Data wydania", "Data", "Data wysyłki"),
             ("WZ nr", "Dokument nr", "Nr dok."), ("Odbiorca", "Adres dostawy", "Nabywca"),
             {"code": ("Indeks", "Kod towaru", "Symbol"), "name": ("Nazwa towaru", "Nazwa", "Opis"),
              "qty": ("Ilość", "Ilość wydana"), "unit": ("J.m.", "Jedn."), "lot": ("Partia", "Nr partii", "Seria"),
              "exp": ("Data ważności", "Termin przydatności", "Ważne do"), "line": ("Lp.", "Nr")},
             {"qty": ("Ilość:",), "lot": ("Partia:", "Nr partii:"), "exp": ("Ważne do:", "Data ważności:"),
              "code": ("Indeks:", "Kod:")},
             _units("szt.|szt|sztuk", "kg", "g", "l|litr", "m|mb", "kart.|opak.|kartony"),
             ("Liczba opakowań: {n}", "Waga brutto: {w} kg", "Wydał: ________  Odebrał: ________"),
             ("00-950 Warszawa", "30-001 Kraków", "80-001 Gdańsk")),
)}

# (code family, unit, names by language): what the goods are called, with pack sizes inside some names.
GOODS: tuple[tuple[str, str, dict[str, str]], ...] = tuple(
    (family, unit, dict(zip(("en", "de", "es", "fr", "it", "nl", "pt", "pl"), names.split("|"))))
    for family, unit, names in (
        ("LEM", "l", "Lemon juice|Zitronensaft|Zumo de limón|Jus de citron|Succo di limone|Citroensap|Sumo de limão|Sok z cytryny"),
        ("BOX", "pcs", "Shipper box 12x|Versandkarton 12er|Caja de envío 12u|Carton 12 unités|Scatola 12 pz|Verzenddoos 12x|Caixa 12 un|Karton 12 szt"),
        ("OAT", "kg", "Rolled oats|Haferflocken|Copos de avena|Flocons d'avoine|Fiocchi d'avena|Havervlokken|Flocos de aveia|Płatki owsiane"),
        ("HON", "kg", "Acacia honey|Akazienhonig|Miel de acacia|Miel d'acacia|Miele di acacia|Acaciahoning|Mel de acácia|Miód akacjowy"),
        ("CAP", "pcs", "Bottle cap 38 mm|Flaschendeckel 38 mm|Tapón 38 mm|Bouchon 38 mm|Tappo 38 mm|Dop 38 mm|Tampa 38 mm|Nakrętka 38 mm"),
        ("VIN", "l", "White wine vinegar|Weißweinessig|Vinagre de vino blanco|Vinaigre de vin blanc|Aceto di vino bianco|Witte wijnazijn|Vinagre de vinho branco|Ocet winny biały"),
        ("COC", "kg", "Cocoa powder 22%|Kakaopulver 22%|Cacao en polvo 22%|Cacao en poudre 22%|Cacao in polvere 22%|Cacaopoeder 22%|Cacau em pó 22%|Kakao 22%"),
        ("RAI", "kg", "Sultana raisins|Sultaninen|Pasas sultanas|Raisins secs|Uvetta sultanina|Sultanarozijnen|Passas sultanas|Rodzynki sułtańskie"),
        ("FOI", "m", "Aluminium foil 30 cm|Alufolie 30 cm|Papel de aluminio|Papier aluminium|Foglio alluminio|Aluminiumfolie|Folha de alumínio|Folia aluminiowa"),
        ("STR", "pcs", "Paper straws|Papierhalme|Pajitas de papel|Pailles papier|Cannucce di carta|Papieren rietjes|Palhinhas de papel|Słomki papierowe"),
        ("GEL", "g", "Gelatine leaves|Blattgelatine|Gelatina en hojas|Gélatine feuilles|Gelatina in fogli|Gelatineblaadjes|Gelatina em folhas|Żelatyna w listkach"),
        ("SAF", "g", "Saffron threads|Safranfäden|Hebras de azafrán|Pistils de safran|Pistilli di zafferano|Saffraandraadjes|Estigmas de açafrão|Szafran nitki"),
        ("MIL", "l", "Oat drink barista|Haferdrink Barista|Bebida de avena|Boisson avoine|Bevanda d'avena|Haverdrank barista|Bebida de aveia|Napój owsiany"),
        ("TRA", "cases", "Baking trays 6x|Backbleche 6er|Bandejas de horno 6u|Plaques 6 pièces|Teglie 6 pz|Bakplaten 6x|Tabuleiros 6 un|Blachy 6 szt"),
        ("YEA", "kg", "Fresh yeast|Frischhefe|Levadura fresca|Levure fraîche|Lievito fresco|Verse gist|Fermento fresco|Drożdże świeże"),
        ("NUT", "kg", "Hazelnuts roasted|Haselnüsse geröstet|Avellanas tostadas|Noisettes grillées|Nocciole tostate|Hazelnoten geroosterd|Avelãs torradas|Orzechy laskowe"),
        ("SYR", "l", "Glucose syrup|Glukosesirup|Jarabe de glucosa|Sirop de glucose|Sciroppo di glucosio|Glucosestroop|Xarope de glucose|Syrop glukozowy"),
        ("WRP", "cases", "Wax wraps|Wachstücher|Envoltorios de cera|Emballages cire|Fogli cerati|Wasdoeken|Embalagens de cera|Woskowijki"),
    ))
PERISHABLE = frozenset({"LEM", "OAT", "HON", "VIN", "COC", "RAI", "GEL", "SAF", "MIL", "YEA", "NUT", "SYR"})
