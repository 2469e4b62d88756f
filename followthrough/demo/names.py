"""The raw material of the demo: the people, businesses and words of a small IT shop.

The shop does IT support and web design for small businesses in a coastal city, so
its customers are dentists, bakers and tradespeople, and its suppliers sell cables,
toner and hosting. Everything here is invented; addresses use the reserved
``.example`` domain and phone numbers the fictional 555-01xx block.
"""

from __future__ import annotations

from datetime import time

# (given name, family name, organization). The family name is kept apart so the
# seed can build an email address from the given name.
BUSINESSES: tuple[tuple[str, str, str], ...] = (
    ("Jane", "Doe", "Doe Plumbing"),
    ("José", "Ramírez", "Ramírez Bakery"),
    ("Priya", "Raman", "Harbour View Dental"),
    ("Tomás", "Ibáñez", "Ibáñez Tiling"),
    ("Siobhán", "O'Brien", "O'Brien Electrical"),
    ("Wei", "Chen", "Golden Lotus Restaurant"),
    ("Amara", "Okafor", "Okafor Family Law"),
    ("Søren", "Lindqvist", "Nordlys Architects"),
    ("Fatima", "Haddad", "Cedar & Sage Florist"),
    ("Kenji", "Watanabe", "Watanabe Physiotherapy"),
    ("Marie-Claire", "Dubois", "Riverside Realty"),
    ("Mateus", "Oliveira", "Oliveira Auto Repair"),
    ("Aroha", "Ngata", "Little Sprouts Early Learning"),
    ("Björn", "Svensson", "Svensson Joinery"),
    ("Lan", "Nguyễn", "Saigon Corner Pho"),
    ("Dmitri", "Volkov", "Volkov Bookkeeping"),
    ("Zainab", "Yusuf", "Bright Steps Tutoring"),
    ("Liam", "D'Angelo", "D'Angelo's Pizzeria"),
    ("Chiara", "Bianchi", "Bianchi Interiors"),
    ("Hemi", "Walker", "Walker Landscaping"),
    ("Grace", "Mensah", "Mensah Pharmacy"),
    ("Rahul", "Mehta", "Mehta Travel"),
    ("Eleni", "Papadopoulos", "Olive Grove Deli"),
    ("Oskar", "Nowak", "Nowak Removals"),
    ("Ingrid", "Johansson", "Fjord Yoga Studio"),
    ("Carlos", "Mendoza", "Mendoza Roofing"),
    ("Aisha", "Rahman", "Rahman Optometry"),
    ("Patrick", "Nolan", "Nolan & Reid Notaries"),
    ("Yuki", "Tanaka", "Sakura Hair Studio"),
    ("Émile", "Fournier", "Fournier Bicycles"),
    ("Hannah", "Goldberg", "Goldberg Chiropractic"),
    ("Kwame", "Boateng", "Boateng Courier Services"),
    ("Sofía", "Castillo", "Castillo Dance Academy"),
    ("Ahmed", "El-Sayed", "Nile Print & Copy"),
    ("Mei Lin", "Wong", "Hillside Veterinary Clinic"),
    ("Ana Lúcia", "Ferreira", "Ferreira Cleaning Co."),
    ("Rosa", "Jiménez", "Casa Rosa Catering"),
    ("Thandiwe", "Dlamini", "Ubuntu Community Kitchen"),
    ("Gustav", "Müller", "Müller Precision Machining"),
    ("Noor", "Al-Hashimi", "Seaside Dental Lab"),
    ("Ji-woo", "Park", "Park Street Print Studio"),
    ("Declan", "Murphy", "Murphy's Bar & Grill"),
)

# People who hire the shop for their home office or family computers.
INDIVIDUALS: tuple[tuple[str, str], ...] = (
    ("Ben", "Carter"),
    ("Margaret", "Ellis"),
    ("Samuel", "Adeyemi"),
    ("Renée", "Tremblay"),
)

SUPPLIERS: tuple[tuple[str, str, str], ...] = (
    ("Dana", "Whitfield", "Coastline Hardware Supply"),
    ("Raj", "Patel", "Metro Cable & Network"),
    ("Laura", "Schmidt", "CloudNest Hosting"),
    ("Victor", "Santos", "Pacific Toner & Ink"),
)

# Greater Vancouver area codes; with the 555-01xx exchange no number can be real.
AREA_CODES: tuple[str, ...] = ("604", "778", "236")

# Shared mailboxes a small business often gives out instead of a person's address.
SHARED_MAILBOXES: tuple[str, ...] = ("info", "hello", "office", "admin")

PERSONAL_MAIL_DOMAIN = "mail.example"

CLIENT_NOTES: tuple[str, ...] = (
    "Prefers a call before 10 am; the shop gets busy after that.",
    "Invoices go to the bookkeeper, not to the owner.",
    "Closed on Mondays.",
    "Happy in English or Spanish.",
    "The server lives in the cupboard behind the reception desk.",
    "Parking is round the back; ring the buzzer marked Office.",
    "Very security-conscious: never send passwords by email.",
    "Two sites: the main shop and a small warehouse on 3rd Street.",
    "Likes a written summary after every visit.",
    "Busiest in December; avoid changes to the website then.",
)

LEAD_NOTES: tuple[str, ...] = (
    "Came in through the website contact form.",
    "Met at the chamber of commerce breakfast.",
    "Asked about a new website and email for four staff.",
    "Referred by a current client.",
)

PAST_NOTES: tuple[str, ...] = (
    "Sold the business in the spring; the new owners use their own IT people.",
    "Moved to a bigger provider when they opened a second office.",
)

SUPPLIER_NOTES: tuple[str, ...] = (
    "Account number is on the last invoice; orders before 2 pm ship the same day.",
    "Trade discount of 10% on orders over $500.",
)

# A promise as (title, the line logged when it is kept, the channel it is kept by).
CLIENT_PROMISES: tuple[tuple[str, str, str], ...] = (
    ("Send the revised quote", "Sent the revised quote", "email"),
    ("Call back about the invoice", "Called back about the invoice; all sorted", "call"),
    ("Deliver the new laptop", "Delivered and set up the new laptop", "visit"),
    ("Confirm the site-visit date", "Confirmed the site-visit date", "email"),
    ("Send the homepage mock-ups", "Sent the homepage mock-ups for review", "email"),
    ("Fix the contact form on the website", "Fixed and tested the contact form", "email"),
    ("Renew the domain name before it lapses", "Renewed the domain for two years", "email"),
    ("Set up email on the new phones", "Set up email on both new phones", "visit"),
    ("Replace the office Wi-Fi router", "Swapped in the new Wi-Fi router", "visit"),
    ("Check that the nightly backups run", "Checked the backups: all running", "call"),
    ("Send the monthly support report", "Sent the monthly support report", "email"),
    ("Send a quote for two new workstations", "Sent the quote for two workstations", "email"),
    ("Move the mailboxes to the new host", "Mailboxes moved; everyone can log in", "call"),
    ("Update the opening hours on the website", "Updated the opening hours online", "email"),
    ("Put the new price list on the website", "New price list is live online", "message"),
    ("Install the new printer in the back office", "New printer installed and tested", "visit"),
    ("Order a replacement toner cartridge", "Ordered the toner; arrives Thursday", "email"),
    ("Walk the staff through the booking system", "Ran the booking-system training", "meeting"),
    ("Look into the slow front-desk PC", "Sped up the front-desk PC (new SSD)", "visit"),
    ("Send login details for the new starter", "Sent the new starter's login details", "message"),
    ("Take photos for the website gallery", "Took the photos for the gallery", "visit"),
    ("Book the annual server check-up", "Booked the server check-up", "call"),
    ("Send the maintenance contract to sign", "Sent the maintenance contract", "email"),
    ("Follow up on the printer warranty claim", "Warranty claim approved; told them", "call"),
    ("Propose dates for the security training", "Proposed three dates for the training", "email"),
    ("Set up two-factor login for the team", "Two-factor login on for every account", "visit"),
    ("Add holiday opening hours to the website", "Holiday hours are up on the website", "email"),
    ("Reset the shared-drive permissions", "Tidied up the shared-drive permissions", "call"),
)

LEAD_PROMISES: tuple[tuple[str, str, str], ...] = (
    ("Send an introduction and our price list", "Sent the introduction and price list", "email"),
    ("Call to talk through the website redesign", "Talked through the redesign plans", "call"),
    ("Send a quote for a new website", "Sent the website quote", "email"),
    ("Book a free network health check", "Booked the network health check", "call"),
    ("Send two examples of similar websites", "Sent two example websites", "email"),
)

SUPPLIER_PROMISES: tuple[tuple[str, str, str], ...] = (
    ("Pay this month's invoice", "Paid this month's invoice", "note"),
    ("Send back the faulty part for a refund", "Sent back the faulty part", "note"),
    ("Confirm the order for the dental fit-out", "Confirmed the fit-out order", "email"),
    ("Return the signed reseller agreement", "Returned the reseller agreement", "email"),
)

# The working day's times a due time is likely to be set to.
DUE_TIMES: tuple[time, ...] = (time(10, 0), time(11, 30), time(14, 0), time(15, 0), time(16, 30))

CANCEL_REASONS: tuple[str, ...] = (
    "They changed their mind; no longer needed",
    "Budget frozen until the new financial year",
    "Duplicate: already covered by the maintenance visit",
    "Their nephew is handling it instead",
    "On hold until they have moved premises",
)

# Moves made before the date passed, usually with the customer's agreement.
EARLY_MOVE_REASONS: tuple[str, ...] = (
    "Waiting on the supplier; delivery slipped a few days",
    "Waiting on details from them",
    "They asked to wait until after the holidays",
    "Their manager is away and wants to sign it off",
    "An urgent job came in; agreed a new date with them",
)

# Moves made after the date had already gone by: slips, honestly labelled.
SLIP_REASONS: tuple[str, ...] = (
    "Ran over on an emergency job elsewhere",
    "Forgot to chase the supplier",
    "Off sick for two days",
    "Lost track of it during the office move",
)

# What a told reschedule looks like in the contact log, before the title.
TOLD_LINES: tuple[str, ...] = (
    "Told them the new date for",
    "Agreed a later date for",
    "Warned them early about a delay to",
)

# One-line summaries of everyday contact, by channel and direction.
CONTACT_LINES: dict[tuple[str, str], tuple[str, ...]] = {
    ("call", "out"): (
        "Left a voicemail about the renewal",
        "Checked in: everything running smoothly",
        "Talked through the options for a new server",
        "Called to book the next maintenance visit",
        "Chased the unpaid invoice, politely",
        "Rang to explain the change to the support hours",
    ),
    ("call", "in"): (
        "Printer offline again; talked them through a restart",
        "Asked about adding an email account for a new hire",
        "Rang to say thanks for the quick fix",
        "Question about a line on the latest invoice",
        "Can't connect to the shared drive from home",
        "Wants a price for a second monitor at the front desk",
    ),
    ("email", "out"): (
        "Sent the notes from our meeting",
        "Sent a reminder about changing passwords",
        "Shared the draft text for the About page",
        "Sent instructions for the new voicemail system",
        "Sent the quarterly uptime summary",
    ),
    ("email", "in"): (
        "Sent over the new logo files",
        "Asked for a copy of last month's invoice",
        "Forwarded a suspicious email; told them to delete it",
        "Approved the mock-ups with two small changes",
        "Asked whether the website can take bookings",
        "New photos for the gallery page",
    ),
    ("meeting", "out"): (
        "Quarterly review at their office",
        "Planning meeting for the new website",
        "Coffee to talk through next year's IT budget",
    ),
    ("meeting", "in"): (
        "They came in to go over the website launch plan",
        "Met at our office to sign the support contract",
    ),
    ("message", "out"): (
        "Texted to confirm tomorrow's visit",
        "Sent the guest Wi-Fi password by text",
        "Texted: running 15 minutes late",
    ),
    ("message", "in"): (
        "Texted: the card reader is working again",
        "Can we move Thursday's visit to the afternoon?",
        "Sent a photo of the error message",
    ),
    ("visit", "out"): (
        "On site: replaced the failing hard drive",
        "On site: tidied up the network cabinet",
        "Installed updates on all the office PCs",
        "On site: set up the new reception PC",
    ),
    ("visit", "in"): (
        "Dropped off a laptop that won't start",
        "Came by to collect the repaired tablet",
    ),
    ("note", "out"): (
        "Domain renewal due in the spring; raise it at the review",
        "Their antivirus licence runs out in three months",
        "Mentioned they may open a second location next year",
        "Backup drive is nearly full; quote for a bigger one",
    ),
}
