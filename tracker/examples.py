"""One example per slash-command action, in Slack syntax (`/deadline add N35 …`): what a
refusal suggests, what `lobby <area> --help` lists (as command lines, tracker.errors.cli_example).
Its own module, free of heavy imports: `lobby --help` builds its parser from it."""

EXAMPLES = {
    ("dossier", "list"): "/dossier list rood",
    ("dossier", "show"): "/dossier show N35",
    ("dossier", "new"): "/dossier new N35 N35 Wijthmen–Nijverdal",
    ("dossier", "status"): "/dossier status N35 rood MIRT-brief pauzeert het project",
    ("dossier", "note"): "/dossier note N35 Gesprek met de gedeputeerde gevoerd",
    ("dossier", "owner"): "/dossier owner N35 @U0123ABCD",
    ("dossier", "channel"): "/dossier channel N35 #lobby-n35",
    ("dossier", "edit"): "/dossier edit N35",
    ("dossier", "archive"): "/dossier archive N35",
    ("deadline", "list"): "/deadline list N35 60d",
    ("deadline", "add"): "/deadline add N35 20 nov 2023 Kamerdebat MIRT",
    ("deadline", "done"): "/deadline done 42",
    ("deadline", "move"): "/deadline move 42 27 nov 2023",
    ("deadline", "cancel"): "/deadline cancel 42",
    ("deadline", "remind"): "/deadline remind 42 14,7,1",
    ("deadline", "snooze"): "/deadline snooze 42",
    ("voorkeur", "set"): "/lobby voorkeur dm",
    ("programma", "list"): "/programma list ruimtelijke-ontwikkeling",
    ("programma", "status"): "/programma status Groei Vooruit op-schema loopt volgens plan",
    ("digest", "show"): "/digest 2023H1",
    ("digest", "post"): "/digest post 2023H1",
    ("team", "list"): "/lobby team list",
    # A user id works on every surface (Slack turns a picked @name into one; a shell cannot).
    ("team", "add"): "/lobby team add @U0123ABCD editor",
    ("team", "remove"): "/lobby team remove @U0123ABCD",
}
