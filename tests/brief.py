"""The organizer brief's checklist, transcribed from the brief itself (not from the seed file).

The test that every item is present compares the seeded catalog against this text, so a
demand lost, reworded or moved in the seed file fails it.
"""

# (category heading as printed in the brief, expected category name, [(group or None, [items])])
CHECKLIST: list[tuple[str, str, list[tuple[str | None, list[str]]]]] = [
    (
        "ELECTED OFFICIALS",
        "Elected Officials",
        [
            (
                "Be present at raids and document what you see",
                [
                    "Get connected to your community's rapid response network/s.",
                    "Be present at the scene of a raid.",
                    "Document: what happens during the raid, who is carrying it out, how many people are detained, and any information about those detained that you can obtain at the scene.",
                ],
            ),
            (
                "Liaise with the consulate",
                [
                    "Have a point of contact at relevant consulates and develop a process for sharing info.",
                    "Contact the relevant consulate after a raid to get the names and A-numbers of anyone detained.",
                    "Share information with families and advocates, as appropriate.",
                ],
            ),
            (
                "Be a strong messenger",
                [
                    "Hold a press conference or issue a statement after a raid outlining any violations of constitutional or other rights that occurred.",
                    "Provide Know Your Rights (KYR) information and messaging to immigrant communities, including on sanctuary promises laws, workplace protections, policies on info-sharing with the feds, etc.",
                    "Provide info to employers on illegal search and seizures and what they can do if ICE arrives at their place of business.",
                ],
            ),
            (
                "Engage state and local agencies with training and public messaging",
                [
                    "Produce and widely disseminate agency specific trainings and memos.",
                    "Expand public messaging by using agency attributes on key documents, e.g. KYR posters on public transit, etc.",
                    "Provide Immigration Support at Airports, e.g. set aside space (office/storage) and parking spots for immigration legal services providers to support immigrants.",
                ],
            ),
            (
                "Collaborate with other government officials",
                [
                    "Connect and collaborate with other government officials (more people making waves increases the more likelihood of getting media attention).",
                    "Contact allies in the U.S. Senate and House after a raid, tell them what you saw, and ask that they demand accountability from DHS.",
                ],
            ),
            (
                "Support state and local budget line items for immigrant worker defense",
                [
                    "Provide resources for KYR programs.",
                    "Provide resources for legal defense & deportation defense funds.",
                    "Provide funding for Legal Services to put towards helping people learn how to represent themselves in immigration court, in light of the administration's attempt to freeze those services.",
                    "Appropriate resources to strengthen state and local labor agencies, including funding co-enforcement efforts.",
                    'Create a comprehensive "Know Your Rights" campaign to inform residents about immigration protections, nondiscrimination policies, and any other local and state protections.',
                    "City officials should sponsor and support any state legislation that would increase funding for deportation defense.",
                ],
            ),
            (
                "Support legislative agenda strengthening state and local immigrant support and protections.",
                [
                    # The brief lists examples here, then "Other ideas include legislation
                    # preventing abuse of the Laken Riley Act."
                    "legislation",
                    "Laken Riley Act",
                ],
            ),
            (
                "Collaborate with worker centers & other non-profits",
                [
                    "Share Know Your Rights toolkits and other resources produced by worker centers on your website.",
                    "Refer workers who reach out to your office to worker centers.",
                ],
            ),
        ],
    ),
    (
        "BUSINESS",
        "Business",
        [
            (None, ["Train managers on worker rights & best practice procedures during an ICE raid"]),
            (None, ["Adopt best practices for workplace raids"]),
        ],
    ),
    (
        "LABOR",
        "Labor",
        [
            (None, ["Use your influence to engage elected officials in pro-active raid response."]),
            (None, ["Include KYR trainings in steward trainings."]),
            (None, ["Include protections for immigrant workers in your bargaining language."]),
            (None, ["Become a Sanctuary Union."]),
            (None, ["Engage members in community defense, e.g. setting up a 'fight back' workgroup."]),
            (
                None,
                [
                    "Provide trauma-informed training and mental health support to those on the front lines working with immigrants."
                ],
            ),
        ],
    ),
    (
        "ATTORNEY GENERAL & POLICE",
        "Attorney General & Police",
        [
            (None, ["Issue directives on immigrant state and local law enforcement procedures"]),
            (None, ["Train officers on potential retaliatory abuse of Laken Riley Act."]),
        ],
    ),
    (
        # The brief misspells this heading.
        "COUNSULATES",
        "Consulates",
        [
            (None, ["Provide One-Stop Shop Resources"]),
            (
                "Participate in Direct Defense",
                ["Be present at raids.", "Intervene via direct diplomacy.", "Liaise with elected officials."],
            ),
        ],
    ),
    (
        "COMMUNITY FOUNDATIONS",
        "Community Foundations",
        [
            (None, ["Fund deportation defense funds."]),
            (None, ["Fund stipends to fund ICE Raid Hotlines."]),
            (None, ["Fund co-enforcement organizing groups."]),
        ],
    ),
]

# Text the brief gives as a description rather than an item: (demand title start, words).
DESCRIPTIONS = [
    ("Provide One-Stop Shop Resources", "Central source of information and referrals."),
    ("Provide One-Stop Shop Resources", "Common in places with few civil society resources."),
]

# The laws, directives and places the brief names as examples: (demand title words, example words).
EXAMPLES = [
    ("Sponsor and support legislation", "AB 450"),
    ("Sponsor and support legislation", "New York"),
    ("Sponsor and support legislation", "Immigrant Trust Act"),
    ("Sponsor and support legislation", "Workplace Enforcement"),
    ("Issue directives on immigrant state and local law enforcement", "Immigrant Trust Directive"),
    ("Provide One-Stop Shop Resources", "Omaha"),
    ("Provide One-Stop Shop Resources", "Atlanta"),
    ("Provide One-Stop Shop Resources", "Raleigh"),
    ("Participate in Direct Defense", "New York City"),  # "NYC" in the brief
    ("Participate in Direct Defense", "Dallas"),
    ("Participate in Direct Defense", "Chicago"),
    ("Participate in Direct Defense", "Houston"),
    ("Participate in Direct Defense", "Milwaukee"),
]

# The toolkits, memos and webinars the brief links: (demand title words, resource title words).
RESOURCES = [
    ("Provide info to employers on illegal search and seizures", "search and seizures"),
    ("Provide info to employers on illegal search and seizures", "ICE arrives"),
    ("Train managers on worker rights", "Sample flyer"),
    ("Adopt best practices for workplace raids", "workplace raids toolkit"),
    ("Include protections for immigrant workers in your bargaining language", "Labor Notes"),
    ("Include protections for immigrant workers in your bargaining language", "AFL-CIO"),
    ("Become a Sanctuary Union", "ARISE webinar"),
]
