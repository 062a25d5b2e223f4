#!/usr/bin/env python3
"""Erzeugt die Demo-Broschüre corpus/pdf/aktionsprogramm-brandenburg-2000.pdf.

Seite 1: Überblick über das Programm (einspaltig).
Seite 2: zweispaltig – links die Netzwerke, rechts ein grau hinterlegter Block
         mit Ansprechpartnern und Telefon-/Faxnummern.
Seite 3: zweispaltig – Hinweise zur Teilnahme und weitere Kontakte.

Der Text ist von den Projektautoren formuliert; die Fakten (Namen, Zahlen,
Rufnummern) stammen aus einer öffentlich zugänglichen Programmbroschüre.
Aufruf:  python corpus/make_brochure.py
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "pdf" / "aktionsprogramm-brandenburg-2000.pdf"

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def register_fonts() -> tuple[str, str]:
    """DejaVuSans einbetten, falls vorhanden; sonst Helvetica (Latin-1 reicht für Umlaute)."""
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


FONT, FONT_BOLD = register_fonts()

body = ParagraphStyle(
    "body", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT, spaceAfter=6
)
small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=3)
title = ParagraphStyle(
    "title",
    fontName=FONT_BOLD,
    fontSize=20,
    leading=24,
    spaceAfter=6,
    textColor=colors.HexColor("#1b3a63"),
)
subtitle = ParagraphStyle(
    "subtitle",
    fontName=FONT,
    fontSize=12,
    leading=15,
    spaceAfter=14,
    textColor=colors.HexColor("#1b3a63"),
)
h2 = ParagraphStyle(
    "h2",
    fontName=FONT_BOLD,
    fontSize=11.5,
    leading=14,
    spaceBefore=8,
    spaceAfter=4,
    textColor=colors.HexColor("#1b3a63"),
)
h3 = ParagraphStyle("h3", fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=6, spaceAfter=2)
contact_head = ParagraphStyle(
    "contact_head", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, spaceBefore=7, spaceAfter=1
)
contact = ParagraphStyle("contact", fontName=FONT, fontSize=8.5, leading=10.5, spaceAfter=0)
bullet = ParagraphStyle(
    "bullet", parent=body, leftIndent=10, bulletIndent=0, spaceAfter=3, bulletFontName=FONT
)

PAGE_W, PAGE_H = A4
MARGIN = 2 * cm
GAP = 0.6 * cm
RIGHT_W = 5.6 * cm
LEFT_W = PAGE_W - 2 * MARGIN - GAP - RIGHT_W
FRAME_H = PAGE_H - 2 * MARGIN - 1.2 * cm


def decorate(canvas, doc, grey_column: bool) -> None:
    canvas.saveState()
    if grey_column:
        canvas.setFillColor(colors.HexColor("#e9edf2"))
        canvas.rect(
            MARGIN + LEFT_W + GAP - 0.25 * cm,
            MARGIN - 0.2 * cm,
            RIGHT_W + 0.5 * cm,
            FRAME_H + 0.4 * cm,
            stroke=0,
            fill=1,
        )
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(
        MARGIN,
        PAGE_H - 1.3 * cm,
        "KompAkt – Infodienst zum Aktionsprogramm · Sonderausgabe Juni 2000",
    )
    canvas.drawRightString(PAGE_W - MARGIN, 1.1 * cm, f"Seite {doc.page}")
    canvas.drawString(
        MARGIN, 1.1 * cm, "Gefördert aus dem Europäischen Fonds für regionale Entwicklung (EFRE)"
    )
    canvas.restoreState()


def build() -> Path:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(
        str(OUT),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Aktionsprogramm Brandenburg – Netzwerke und Ansprechpartner (Juni 2000)",
        author="supplier-search Demo-Korpus (Nachbildung)",
        subject="Kompetenzen in Branche und Region",
        invariant=1,
    )

    single = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, FRAME_H, id="single")
    left = Frame(MARGIN, MARGIN, LEFT_W, FRAME_H, id="left")
    right = Frame(
        MARGIN + LEFT_W + GAP, MARGIN, RIGHT_W, FRAME_H, id="right", leftPadding=2, rightPadding=2
    )
    doc.addPageTemplates(
        [
            PageTemplate("overview", [single], onPage=lambda c, d: decorate(c, d, False)),
            PageTemplate("twocol", [left, right], onPage=lambda c, d: decorate(c, d, True)),
        ]
    )

    s: list = []
    # ------------------------------------------------------------------ Seite 1
    s += [
        Paragraph("Gemeinsam stärker: Kompetenzen in Branche und Region", title),
        Paragraph(
            "Das Aktionsprogramm des Landes Brandenburg und der IG Metall – "
            "Programmüberblick, Stand Juni 2000",
            subtitle,
        ),
        Paragraph("Worum es geht", h2),
        Paragraph(
            "Das Programm versteht sich als Anstoß, nicht als Dauersubvention: Betriebe sollen "
            "sich selbst helfen können. Unterstützt werden Kooperationen von Unternehmen vor "
            "allem dort, wo die Wirtschaftsstruktur schwach ist und zugleich mehrere Firmen "
            "derselben Branche nah beieinander liegen. Aus solchen Ballungen können regionale "
            "Kompetenzzentren wachsen. Nach dem ersten Jahr sind es fünf Schwerpunkte: die "
            "Optikindustrie in Rathenow, die Armaturenindustrie in Prenzlau, die "
            "Halbleitertechnik in Frankfurt (Oder) sowie die Metallindustrie in Finsterwalde "
            "und im Raum Wildau/Fürstenwalde.",
            body,
        ),
        Paragraph("Netzwerke mit Partnern vor Ort", h2),
        Paragraph(
            "Kooperationen gedeihen am besten in Cluster-Strukturen, in denen die Betriebe "
            "eng mit den Einrichtungen ihrer Region zusammenarbeiten. In den Netzwerken des "
            "Programms wirken deshalb in aller Regel mit:",
            body,
        ),
        Paragraph("Städte und Landkreise, Kammern und Wirtschaftsförderer", bullet, bulletText="•"),
        Paragraph("Gewerkschaften und Betriebsräte", bullet, bulletText="•"),
        Paragraph(
            "Hochschulen und Fachhochschulen, Technologie- und Gründerzentren",
            bullet,
            bulletText="•",
        ),
        Paragraph(
            "T.IN.A. und LASA sowie Bildungsträger und weitere Einrichtungen der jeweiligen Region",
            bullet,
            bulletText="•",
        ),
        Paragraph("Ziel und Vorbilder", h2),
        Paragraph(
            "Kleine und mittlere Unternehmen sollen im Verbund so viel Kraft entwickeln, dass "
            "sie sich aus eigener Stärke behaupten – zunehmend auch auf Märkten außerhalb "
            "Deutschlands. Erfahrungen aus Italien und den USA zeigen, dass regionale "
            "Vernetzung Standorte sichert und neue Arbeitsplätze schafft.",
            body,
        ),
        Paragraph("Werkzeuge des Programms", h2),
        Paragraph(
            "In jeder Schwerpunktregion koordiniert ein ehrenamtlicher Regionalbeauftragter die "
            "Aktivitäten und gibt Impulse. Wo einzelne Betriebe, Unternehmensverbände oder "
            "Projekte konkrete Probleme lösen müssen, können zusätzlich Sachverständige "
            "hinzugezogen werden. Gerade dieses Zusammenspiel von Anstoß und fachlicher "
            "Einzelhilfe gilt als besondere Stärke des Programms.",
            body,
        ),
        Paragraph("Wer dahintersteht", h2),
        Paragraph(
            "Initiiert haben das Programm die Landesregierung und die IG Metall. In der "
            "Lenkungsgruppe sitzen der Regierungschef des Landes, Manfred Stolpe, "
            "Wirtschaftsminister Wolfgang Fürniß und Hasso Düvel als Bezirksleiter der "
            "IG Metall. Konzept und "
            "Koordination liegen beim IMU-Institut in Berlin. Die Mittel stammen zu einem "
            "wesentlichen Teil aus dem Europäischen Fonds für regionale Entwicklung (EFRE) der "
            "Europäischen Gemeinschaft.",
            body,
        ),
    ]
    # ------------------------------------------------------------------ Seite 2
    s += [NextPageTemplate("twocol"), PageBreak()]
    s += [
        Paragraph("Die Netzwerke nach einem Jahr", title),
        Paragraph("Kompetenzzentrum Optik Rathenow", h3),
        Paragraph(
            "Branche: Optikindustrie. In der Arbeitsgruppe Wertschöpfungskette arbeiten 23 "
            "Unternehmen zusammen; bisher sind daraus mehr als 40 Projekte entstanden – mit "
            "neuen Produkten, mehr Umsatz, gesicherten Betrieben und ersten Ansiedlungen. Eine "
            "zweite Arbeitsgruppe betreibt Standortmarketing mit Dachmarke, Messeständen und "
            "Internetauftritt.",
            body,
        ),
        Paragraph("Kompetenznetzwerk Armaturen- und Maschinenbau Prenzlau", h3),
        Paragraph(
            "Branche: Armaturenindustrie und Maschinenbau. Elf Unternehmen sparen in der "
            "Arbeitsgemeinschaft Ressourcenbewirtschaftung gemeinsam Energie und Kosten. Acht "
            "Firmen betreiben zusammen ihr Marketing. Eine Kooperationsbörse auf CD und im "
            "Internet verzeichnet über 600 Unternehmen, und ein Netzwerk der Betriebsräte "
            "liefert als Ideenwerkstatt Vorschläge.",
            body,
        ),
        Paragraph("Kompetenzzentrum Mikroelektronik Frankfurt (Oder)", h3),
        Paragraph(
            "Branche: Halbleitertechnik und Mikroelektronik. Unternehmen, Hochschule und "
            "weitere Einrichtungen kümmern sich gemeinsam um Personalentwicklung – mit "
            "Coaching, Technologieveranstaltungen, Ausbildungsverbünden und Vermittlung von "
            "Fachkräften. Firmenprofile und ein Kompetenz-Atlas dienen dem Standortmarketing. "
            "Derzeit laufen 17 Verbundprojekte.",
            body,
        ),
        Paragraph("Netzwerk Metallindustrie Finsterwalde", h3),
        Paragraph(
            "Branche: Metallindustrie. Im Mittelpunkt steht die Sicherung innovativer "
            "Betriebe, die für die Region wichtig sind. Dazu kommen eine "
            "Qualifizierungskonferenz und ein externes Ausbildungsmanagement für kleine "
            "Firmen.",
            body,
        ),
        Paragraph("Netzwerk Metallindustrie Wildau-Fürstenwalde", h3),
        Paragraph(
            "Branche: Metallindustrie. Der jüngste Schwerpunkt: Nach Branchenanalysen und "
            "Gesprächen in den Betrieben werden erste Projekte zur Profilierung vorbereitet, "
            "zuerst ein gemeinsames Standortmarketing. Die Betriebsräte tauschen sich über "
            "Arbeitsorganisation und Standortfragen aus.",
            body,
        ),
        FrameBreak(),
        Paragraph("Ihre Ansprechpartner", h2),
        Paragraph("Optik Rathenow", contact_head),
        Paragraph("Peter Poschmann<br/>Tel. 03385 / 5480-0<br/>Fax 03385 / 5480-12", contact),
        Paragraph("Armaturenindustrie Prenzlau", contact_head),
        Paragraph(
            "Dr. Martin Grundmann<br/>Tel. 030 / 29 36 97-0<br/>Fax 030 / 29 36 97-11<br/>"
            "Mobil 0178 / 4831265",
            contact,
        ),
        Paragraph("Mikroelektronik Frankfurt (Oder)", contact_head),
        Paragraph("Dr. Martin Wilke<br/>Tel. 0335 / 5571301<br/>Fax 0335 / 5571310", contact),
        Paragraph("Metallindustrie Finsterwalde", contact_head),
        Paragraph("Dr. Norbert Pietsch<br/>Tel. 0351 / 31992200<br/>Fax 0351 / 31992215", contact),
        Paragraph("Mirko Freigang<br/>Tel. 03531 / 704973<br/>Fax 03531 / 704975", contact),
        Paragraph("Metallindustrie Wildau-Fürstenwalde", contact_head),
        Paragraph("Michael Buchner<br/>Tel. 030 / 29 36 97-0<br/>Fax 030 / 29 36 97-11", contact),
    ]
    # ------------------------------------------------------------------ Seite 3
    s += [NextPageTemplate("twocol"), PageBreak()]
    s += [
        Paragraph("Mitmachen", title),
        Paragraph(
            "Betriebe aus den fünf Regionen sprechen am besten zuerst mit dem "
            "Regionalbeauftragten; er kennt die laufenden Arbeitsgruppen und stellt Kontakte "
            "her.",
            body,
        ),
        Paragraph(
            "Für Fragen zur Förderung ist das Wirtschaftsministerium in Potsdam zuständig. "
            "Betriebsräte, die sich in die Netzwerke einbringen wollen, finden Unterstützung "
            "bei der Bezirksleitung der IG Metall. Die Gesamtkoordination liegt beim "
            "IMU-Institut in Berlin.",
            body,
        ),
        FrameBreak(),
        Paragraph("Weitere Kontakte", h2),
        Paragraph("Wirtschaftsministerium des Landes Brandenburg", contact_head),
        Paragraph("Andreas Bruns<br/>Tel. 0331 / 8661678<br/>Fax 0331 / 8661729", contact),
        Paragraph("IG Metall, Bezirksleitung Berlin-Brandenburg", contact_head),
        Paragraph("Heinz Hoffmann<br/>Tel. 030 / 253750-0<br/>Fax 030 / 25375025", contact),
        Paragraph("Programmkoordination", contact_head),
        Paragraph("IMU-Institut für Medienforschung und Urbanistik, Berlin", contact),
        Paragraph(
            "Tel. 030 / 29 36 97-0<br/>Fax 030 / 29 36 97-11<br/>"
            "imu-berlin@imu-institut.de<br/>www.imu-institut.de",
            contact,
        ),
        Paragraph("Postanschrift: 10243 Berlin, Warschauer Straße 59a", contact),
        Paragraph(
            "Für das Gesamtprogramm verantwortlich: Volker Raenke und Dr. Gerhard Richter",
            contact,
        ),
    ]
    doc.build(s)
    return OUT


if __name__ == "__main__":
    print(build())
