"""The demo catalogue as plain data, loaded by ``python manage.py seed_demo``.

Content and mechanics are kept apart: this module holds only what the academy's demo
says (pages, faculty, images, accounts); ``courses/management/commands/seed_demo.py``
decides how it reaches the database. Every body is a list of ``(block_type, value)``
pairs in the shape of :class:`courses.blocks.ModuleBodyBlock`; an image block names its
image by the key of an entry in :data:`IMAGES`, which the command resolves.

The faculty, learners and staff are fictional. The clinical teaching is written for
doctors and cites only well-known, published sources; doses are given as teaching
examples and are always to be checked against local formularies.
"""

from __future__ import annotations

import datetime

# --- Block helpers: they only build plain data -------------------------------------------


def heading(text: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": text, "level": level})


def paragraph(html: str) -> tuple[str, str]:
    return ("paragraph", html)


def key_points(*points: str, title: str = "Key points") -> tuple[str, dict]:
    return ("key_points", {"title": title, "points": list(points)})


def clinical_case(*, title: str, presentation: str, question: str, discussion: str) -> tuple[str, dict]:
    return (
        "clinical_case",
        {"title": title, "presentation": presentation, "question": question, "discussion": discussion},
    )


def table(caption: str, rows: list[list[str]]) -> tuple[str, dict]:
    """A table whose first row is its header (the shape Wagtail's TableBlock stores)."""
    return (
        "table",
        {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": caption,
        },
    )


def image(key: str, *, alt_text: str, caption: str = "", attribution: str = "") -> tuple[str, dict]:
    return ("image", {"image": key, "alt_text": alt_text, "caption": caption, "attribution": attribution})


def references(*citations: str | tuple[str, str]) -> tuple[str, dict]:
    """Vancouver-style citations; a tuple adds a URL (used only where the address is certain)."""
    items = []
    for citation in citations:
        text, url = citation if isinstance(citation, tuple) else (citation, "")
        items.append({"citation": text, "url": url})
    return ("references", {"references": items})


# --- Sources cited in more than one module -------------------------------------------------

RAJA_2020 = (
    "Raja SN, Carr DB, Cohen M, et al. The revised International Association for the Study of Pain "
    "definition of pain: concepts, challenges, and compromises. Pain. 2020;161(9):1976-82."
)
SCHUG_2020 = (
    "Schug SA, Palmer GM, Scott DA, Alcock M, Halliwell R, Mott JF, editors. Acute pain management: "
    "scientific evidence. 5th ed. Melbourne: Australian and New Zealand College of Anaesthetists and "
    "Faculty of Pain Medicine; 2020."
)
TREEDE_2019 = (
    "Treede RD, Rief W, Barke A, et al. Chronic pain as a symptom or a disease: the IASP Classification "
    "of Chronic Pain for the International Classification of Diseases (ICD-11). Pain. 2019;160(1):19-27."
)
KOSEK_2016 = (
    "Kosek E, Cohen M, Baron R, et al. Do we need a third mechanistic descriptor for chronic pain "
    "states? Pain. 2016;157(7):1382-6."
)
WOOLF_2011 = (
    "Woolf CJ. Central sensitization: implications for the diagnosis and treatment of pain. "
    "Pain. 2011;152(3 Suppl):S2-15."
)
HILL_2011 = (
    "Hill JC, Whitehurst DG, Lewis M, et al. Comparison of stratified primary care management for low "
    "back pain with current best practice (STarT Back): a randomised controlled trial. "
    "Lancet. 2011;378(9802):1560-71."
)
NICE_NG193 = (
    "National Institute for Health and Care Excellence. Chronic pain (primary and secondary) in over "
    "16s: assessment of all chronic pain and management of chronic primary pain. NICE guideline NG193. "
    "London: NICE; 2021.",
    "https://www.nice.org.uk/guidance/ng193",
)
NICE_NG59 = (
    "National Institute for Health and Care Excellence. Low back pain and sciatica in over 16s: "
    "assessment and management. NICE guideline NG59. London: NICE; 2016 (updated 2020).",
    "https://www.nice.org.uk/guidance/ng59",
)
WHO_2018 = (
    "World Health Organization. WHO guidelines for the pharmacological and radiotherapeutic management "
    "of cancer pain in adults and adolescents. Geneva: WHO; 2018."
)
ESMO_2018 = (
    "Fallon M, Giusti R, Aielli F, et al. Management of cancer pain in adult patients: ESMO Clinical "
    "Practice Guidelines. Ann Oncol. 2018;29(Suppl 4):iv166-91."
)


# --- Site pages ------------------------------------------------------------------------------

HOME_PAGE = {
    "title": "IPSC Pain Academy",
    "slug": "home",
    "hero_heading": "Pain medicine, taught by the people who practise it",
    "hero_text": (
        "Monthly online courses for doctors who want to specialise in pain management: from the first "
        "assessment of acute pain to interventional and palliative care of cancer pain. Written by "
        "experts, endorsed by the Faculty of Pain Medicine."
    ),
    "about": (
        "<p>The IPSC Pain Academy is the teaching arm of an interventional pain and spine centre. Every "
        "month it opens a new run of its online courses for doctors who wish to specialise in pain "
        "management, whatever their base specialty: anaesthesiology, orthopaedics, physical medicine "
        "and rehabilitation, neurology, oncology, palliative care or general practice.</p>"
        "<p>Our courses are <b>multidisciplinary</b>. Together they cover the early diagnosis and "
        "effective management of acute, chronic and cancer pain, because good pain care depends on "
        "physicians, physiotherapists, psychologists and nurses working to one plan.</p>"
        "<p>Every module is <b>written by experts</b> in pain management or a related discipline and "
        "<b>reviewed and endorsed by the Faculty of Pain Medicine</b> before learners see it. Content "
        "follows one editorial standard — stated learning objectives, clinical cases, and references "
        "to published evidence — so that it is relevant and reliable for every practitioner.</p>"
        "<ul><li>A new run of each course every month, studied online at your own pace.</li>"
        "<li>CME credit hours and a certificate that employers and councils can verify online.</li>"
        "<li>Clinical cases drawn from everyday practice in Indian hospitals.</li></ul>"
    ),
}

CATALOGUE_PAGE = {
    "title": "Courses",
    "slug": "courses",
    "intro": (
        "<p>Choose a course by track: acute pain, chronic pain, cancer pain, or the multidisciplinary "
        "foundation course that introduces them all. Each course opens a new run every month; enrol in "
        "the current month's run to study its modules and earn its certificate.</p>"
    ),
}


# --- Faculty (fictional) ------------------------------------------------------------------

FACULTY = [
    {
        "name": "Dr Arjun Menon",
        "credentials": "MD (Anaesthesiology), FIPP",
        "specialty": "Interventional pain medicine",
        "bio": (
            "<p>Consultant in interventional pain medicine with a special interest in spinal and "
            "cancer pain procedures under fluoroscopic and ultrasound guidance. He leads the "
            "centre's fellowship programme.</p>"
        ),
    },
    {
        "name": "Dr Kavita Rao",
        "credentials": "MD, DNB (Anaesthesiology)",
        "specialty": "Acute pain and regional anaesthesia",
        "bio": (
            "<p>Consultant anaesthesiologist who set up the hospital's acute pain service. She teaches "
            "ultrasound-guided regional anaesthesia and perioperative opioid stewardship.</p>"
        ),
    },
    {
        "name": "Dr Sameer Kulkarni",
        "credentials": "MS (Orthopaedics), FSEM",
        "specialty": "Sports and regenerative medicine",
        # Fictional, like every person and company in the demo.
        "disclosures": [
            {
                "company": "Arogya OrthoBio Devices Pvt Ltd",
                "relationship": "consultant",
                "started_on": datetime.date(2025, 4, 1),
                "ended_on": None,
            },
            {
                "company": "Sahyadri Medical Education Trust",
                "relationship": "speaker",
                "started_on": datetime.date(2024, 9, 1),
                "ended_on": datetime.date(2025, 8, 31),
            },
        ],
        "bio": (
            "<p>Orthopaedic surgeon working in sports medicine and image-guided regenerative "
            "procedures for tendon, ligament and joint disease.</p>"
        ),
    },
    {
        "name": "Dr Farah Siddiqui",
        "credentials": "MD (Palliative Medicine)",
        "specialty": "Palliative medicine and cancer pain",
        "bio": (
            "<p>Palliative medicine physician who runs the centre's cancer pain clinic and its "
            "programme to improve access to oral morphine.</p>"
        ),
    },
    {
        "name": "Dr Nikhil Batra",
        "credentials": "DM (Neurology)",
        "specialty": "Neuropathic pain",
        "bio": "<p>Neurologist with an interest in neuropathic pain, headache and peripheral neuropathy.</p>",
    },
    {
        "name": "Dr Lakshmi Narayanan",
        "credentials": "MD (Physical Medicine and Rehabilitation)",
        "specialty": "Rehabilitation and multidisciplinary pain programmes",
        "bio": (
            "<p>Physiatrist who directs the multidisciplinary pain management programme, bringing "
            "together physiotherapy, psychology and medical care.</p>"
        ),
    },
]


# --- Images (files under courses/demo_images/) ----------------------------------------------

IMAGES = {
    "analgesic-ladder": {
        "title": "The analgesic ladder (teaching diagram)",
        "file": "analgesic-ladder.png",
    },
    "regenerative-timeline": {
        "title": "Timeline after a regenerative injection (teaching diagram)",
        "file": "regenerative-timeline.png",
    },
}


# --- Course: Foundations (multidisciplinary) ------------------------------------------------

FOUNDATIONS_COURSE = {
    "title": "Foundations of Pain Medicine: Early Diagnosis and Multidisciplinary Management",
    "slug": "foundations-of-pain-medicine",
    "track": "multidisciplinary",
    "summary": (
        "The academy's core course: how pain works, how to diagnose its cause early, and how a "
        "multidisciplinary team manages acute, chronic and cancer pain together."
    ),
    "description": (
        "<p>Pain is the commonest reason people see a doctor, and the care they receive is often "
        "fragmented: one clinician treats the scan, another the mood, a third the prescription. This "
        "foundation course gives doctors entering pain medicine a shared language and approach, "
        "whatever their base specialty.</p>"
        "<p>It covers the science and classification of pain; a structured approach to early diagnosis "
        "that catches serious pathology and the risk factors for chronic disability; and the "
        "multidisciplinary, biopsychosocial management that underpins good outcomes in acute, chronic "
        "and cancer pain alike, including the responsible use of opioids. It is the recommended "
        "starting point before the track courses.</p>"
    ),
    "objectives": [
        "Explain how nociceptive signals are transduced, transmitted, modulated and perceived, and how sensitisation changes the pain experience.",
        "Take a structured pain history and examination that identifies red flags and risk factors for chronic pain early.",
        "Diagnose complex regional pain syndrome with the Budapest criteria and begin function-focused treatment.",
        "Describe the role of each member of a multidisciplinary pain team and plan a biopsychosocial programme around the patient's goals.",
        "Prescribe, review and taper opioids for chronic non-cancer pain responsibly.",
    ],
    "cme_credit_hours": "12.0",
    "estimated_hours": 14,
    "audience": "Doctors beginning training in pain medicine, and physicians, surgeons and general practitioners who manage pain",
    "faculty": [
        ("Dr Lakshmi Narayanan", "Course director"),
        ("Dr Nikhil Batra", "Author"),
    ],
    "modules": [
        {
            "title": "How pain works: from nociception to perception",
            "slug": "how-pain-works",
            "summary": "The neurobiology of pain, sensitisation and descending modulation, and a classification that guides treatment.",
            "estimated_minutes": 40,
            "objectives": [
                "Describe transduction, transmission, modulation and perception of nociceptive signals.",
                "Explain peripheral and central sensitisation and the role of descending modulation.",
                "Classify pain by duration and mechanism, including the nociplastic descriptor.",
            ],
            "body": [
                heading("Nociception is not pain"),
                paragraph(
                    "<p>Nociception is the neural process of encoding noxious stimuli; pain is the experience. "
                    "The distinction, central to the 2020 IASP definition of pain, explains why tissue damage and "
                    "pain so often fail to correspond: the athlete who plays on with a fracture, or the patient "
                    "with severe back pain and an unremarkable MRI.</p>"
                ),
                paragraph(
                    "<p>Four processes link a stimulus to the experience.</p>"
                    "<ul><li><b>Transduction.</b> Nociceptors, the free endings of thinly myelinated Aδ and "
                    "unmyelinated C fibres, convert thermal, mechanical and chemical stimuli into electrical "
                    "signals through channels such as TRPV1 and the voltage-gated sodium channels Nav1.7 and "
                    "Nav1.8.</li>"
                    "<li><b>Transmission.</b> Signals reach the dorsal horn of the spinal cord and ascend, mainly "
                    "in the spinothalamic tract, to the thalamus and cortex.</li>"
                    "<li><b>Modulation.</b> At every level, signals are amplified or dampened.</li>"
                    "<li><b>Perception.</b> A distributed network (somatosensory, insular, anterior cingulate and "
                    "prefrontal cortices) gives the signal its sensory, emotional and evaluative meaning.</li></ul>"
                ),
                heading("Sensitisation and modulation"),
                paragraph(
                    "<p>After injury, inflammatory mediators such as prostaglandins, bradykinin, nerve growth "
                    "factor and cytokines lower nociceptor thresholds. This <i>peripheral sensitisation</i> "
                    "produces primary hyperalgesia at the site of injury, which is why NSAIDs and local "
                    "anaesthetics work so well there. Sustained input drives <i>central sensitisation</i> in the "
                    "dorsal horn (NMDA receptor activation, wind-up and loss of inhibition), producing secondary "
                    "hyperalgesia beyond the injured area and allodynia, in which touch becomes painful. In most "
                    "people these changes resolve as tissues heal; in some they persist.</p>"
                ),
                paragraph(
                    "<p>The brain is not a passive receiver. Descending pathways from the periaqueductal grey and "
                    "the rostral ventromedial medulla, using endogenous opioids, noradrenaline and serotonin, can "
                    "inhibit or facilitate transmission in the dorsal horn. Attention, expectation, fear, mood and "
                    "sleep act through these systems: they are the neurobiological basis of placebo and nocebo "
                    "effects and of the benefit of psychological therapies. Antidepressants that enhance "
                    "noradrenergic transmission (tricyclics and SNRIs) act partly by strengthening descending "
                    "inhibition.</p>"
                ),
                heading("Classifying pain so that it changes treatment"),
                paragraph(
                    "<p>Classify pain by duration and by mechanism. Acute pain follows recent injury or disease and "
                    "is expected to resolve with healing; chronic pain persists or recurs for more than three "
                    "months. By mechanism, pain is <b>nociceptive</b> (from actual or threatened damage to "
                    "non-neural tissue), <b>neuropathic</b> (from a lesion or disease of the somatosensory nervous "
                    "system) or <b>nociplastic</b> (from altered nociception without clear evidence of either), "
                    "and it is often mixed. Cancer pain may be any of these.</p>"
                    "<p>A classification is useful only if it changes management. A neuropathic component points to "
                    "specific medicines; a nociplastic presentation points towards exercise, sleep and "
                    "psychological approaches rather than more imaging or procedures.</p>"
                ),
                table(
                    "Mechanism and its first clinical implication",
                    [
                        ["Mechanism", "Typical example", "What it suggests"],
                        [
                            "Nociceptive",
                            "Osteoarthritis flare, postoperative pain",
                            "Treat the tissue: anti-inflammatories, local anaesthetic techniques, rehabilitation",
                        ],
                        [
                            "Neuropathic",
                            "Radiculopathy, diabetic neuropathy",
                            "Neuropathic agents (tricyclic, SNRI, gabapentinoid); look for a treatable cause",
                        ],
                        [
                            "Nociplastic",
                            "Fibromyalgia, chronic primary low back pain",
                            "Explanation, graded exercise, sleep and psychological therapy; avoid escalating procedures",
                        ],
                    ],
                ),
                key_points(
                    "Nociception is a neural process; pain is an experience shaped by biology, psychology and context.",
                    "Peripheral sensitisation causes primary hyperalgesia; central sensitisation causes secondary hyperalgesia and allodynia.",
                    "Descending modulation explains placebo and nocebo effects and part of the action of tricyclics and SNRIs.",
                    "Classify pain by duration (chronic beyond three months) and mechanism (nociceptive, neuropathic, nociplastic).",
                ),
                references(
                    RAJA_2020,
                    "Basbaum AI, Bautista DM, Scherrer G, Julius D. Cellular and molecular mechanisms of pain. Cell. 2009;139(2):267-84.",
                    WOOLF_2011,
                    KOSEK_2016,
                    TREEDE_2019,
                ),
            ],
        },
        {
            "title": "Early diagnosis: history, examination and red flags",
            "slug": "early-diagnosis-and-red-flags",
            "summary": "A structured history and examination, the red flags that change the plan today, yellow flags, and the early diagnosis of CRPS.",
            "estimated_minutes": 50,
            "objectives": [
                "Take a structured pain history and perform a focused neurological and musculoskeletal examination.",
                "Recognise red flags for serious pathology and act on them promptly.",
                "Identify yellow flags and stratify the risk of chronic disability.",
                "Diagnose complex regional pain syndrome early using the Budapest criteria.",
            ],
            "body": [
                heading("A structured history"),
                paragraph(
                    "<p>The history is the most powerful diagnostic test in pain medicine. For each pain, record "
                    "its site and radiation (a body chart helps), onset and precipitating event, character, "
                    "intensity at rest and on activity, timing and pattern over the day, aggravating and relieving "
                    "factors, and associated symptoms: numbness, weakness, swelling, colour or temperature change, "
                    "sphincter disturbance, fever and weight loss. Mnemonics such as SOCRATES help trainees not to "
                    "miss elements.</p>"
                    "<p>Then ask about impact (sleep, work, mood, relationships, activities given up), previous "
                    "treatments and their effect, and what the patient believes is wrong, fears and hopes for. "
                    "These answers shape the plan as much as the diagnosis does.</p>"
                ),
                heading("Examination"),
                paragraph(
                    "<p>Examine the painful region and the systems that could refer pain to it. A focused "
                    "neurological examination (dermatomal sensation, myotomal power, reflexes, neural tension tests "
                    "such as the straight leg raise and, when indicated, saddle sensation) distinguishes radicular "
                    "pain from referred somatic pain. Look for allodynia and hyperalgesia, changes in skin, "
                    "temperature and sweating, joint effusion, range of movement and tenderness of specific "
                    "structures. Watch how the patient moves. A normal examination does not mean the pain is not "
                    "real.</p>"
                ),
                heading("Red flags"),
                paragraph(
                    "<p>Red flags are features that suggest serious underlying pathology: malignancy, infection, "
                    "fracture, inflammatory disease, a vascular catastrophe or neurological compromise. Individually "
                    "most have low specificity; their value lies in prompting targeted examination, investigation or "
                    "referral. Cauda equina syndrome needs particular vigilance: back pain with bilateral sciatica, "
                    "saddle numbness, or new bladder, bowel or sexual dysfunction requires emergency MRI, because the "
                    "outcome depends on decompression before urinary retention develops.</p>"
                ),
                table(
                    "Red flags that should change the plan today",
                    [
                        ["Suspected condition", "Warning features", "Action"],
                        [
                            "Cauda equina syndrome",
                            "Bilateral sciatica, saddle anaesthesia, new urinary retention or incontinence, faecal incontinence, sexual dysfunction",
                            "Emergency MRI and same-day spinal surgical referral",
                        ],
                        [
                            "Spinal metastasis or cord compression",
                            "History of cancer, unexplained weight loss, night or rest pain, thoracic pain, age over 50",
                            "Urgent whole-spine MRI; contact the oncology team",
                        ],
                        [
                            "Spinal infection",
                            "Fever, immunosuppression, intravenous drug use, recent spinal procedure or bacteraemia",
                            "CRP, blood cultures and urgent MRI",
                        ],
                        [
                            "Vertebral fracture",
                            "Significant trauma, osteoporosis, long-term corticosteroids, older age",
                            "Imaging; treat the fracture and bone health",
                        ],
                        [
                            "Inflammatory spondyloarthritis",
                            "Onset before 45, morning stiffness over 30 minutes, better with exercise, waking in the second half of the night",
                            "CRP, HLA-B27, MRI of the sacroiliac joints; rheumatology referral",
                        ],
                        [
                            "Aortic aneurysm or dissection",
                            "Abdominal or back pain with a pulsatile mass, haemodynamic instability or a known aneurysm",
                            "Emergency vascular assessment",
                        ],
                    ],
                ),
                heading("Yellow flags and early risk stratification"),
                paragraph(
                    "<p>The best predictors of long-term disability are psychosocial: a belief that pain means harm, "
                    "fear-avoidance, catastrophising, low mood, passive coping, social isolation and problems at "
                    "work. Identify them early (the STarT Back tool takes a few minutes) and address them "
                    "alongside the physical diagnosis. Reassure with explanation rather than with imaging: routine "
                    "imaging in non-specific low back pain without red flags does not improve outcomes, and "
                    "incidental findings can increase fear and lead to unnecessary procedures.</p>"
                ),
                heading("Complex regional pain syndrome: a diagnosis to make early"),
                paragraph(
                    "<p>Complex regional pain syndrome (CRPS) usually follows a fracture, sprain or operation on a "
                    "limb. It is a clinical diagnosis made with the Budapest criteria: continuing pain "
                    "disproportionate to the inciting event; at least one <i>symptom</i> in three of four categories "
                    "(sensory: hyperaesthesia or allodynia; vasomotor: temperature asymmetry or skin colour change; "
                    "sudomotor/oedema: swelling or sweating change; motor/trophic: reduced movement, weakness, tremor, "
                    "dystonia, or hair, nail or skin changes); at least one <i>sign</i> at examination in two or more "
                    "categories; and no other diagnosis that better explains them.</p>"
                    "<p>Early diagnosis matters. Treatment centred on restoring function (hand or physiotherapy with "
                    "desensitisation and graded use, graded motor imagery or mirror therapy, analgesia that makes "
                    "movement possible, and psychological support) gives the best chance of recovery. Avoid "
                    "prolonged immobilisation, and refer patients who are not improving within weeks to a specialist "
                    "pain service.</p>"
                ),
                clinical_case(
                    title="Pain after a wrist fracture",
                    presentation=(
                        "<p>A 47-year-old bank manager fractured her right distal radius in a fall and was treated in "
                        "a cast for six weeks. Two weeks after the cast was removed she describes severe burning pain "
                        "throughout the hand, far worse than when the fracture happened. She cannot bear her sleeve "
                        "touching the skin and keeps the hand still in her lap. The hand is swollen, shiny and mottled "
                        "red-purple, warmer and sweatier than the left; finger flexion is markedly reduced, and light "
                        "touch with cotton wool is painful. Radiographs show a healing fracture in good position with "
                        "patchy osteopenia. She is anxious about returning to work and asks whether she has "
                        "“damaged a nerve”.</p>"
                    ),
                    question="What is the likely diagnosis, and what should happen next?",
                    discussion=(
                        "<p>She meets the Budapest criteria: disproportionate continuing pain; symptoms in all four "
                        "categories (allodynia; colour and temperature asymmetry; oedema and sweating change; reduced "
                        "movement); signs in at least two categories; and no better explanation, since the fracture is "
                        "healing well and there is no sign of infection or compartment syndrome (check median nerve "
                        "function to exclude a discrete nerve lesion). This is <b>complex regional pain syndrome</b>, "
                        "recognised early.</p>"
                        "<p>Explain the diagnosis clearly and positively: the nervous system's protective response is "
                        "over-active, movement is not damaging the hand, and regular gentle use is part of the "
                        "treatment. Refer urgently to hand therapy for desensitisation, oedema control and graded "
                        "activity, and consider graded motor imagery. Give analgesia that allows therapy: paracetamol, "
                        "and a neuropathic agent such as amitriptyline at night or a gabapentinoid if burning pain and "
                        "poor sleep are prominent. Screen for anxiety and low mood, plan a phased return to work, and "
                        "refer to the pain service if she is not improving within a few weeks. Avoid further "
                        "immobilisation.</p>"
                    ),
                ),
                key_points(
                    "The history is the most powerful diagnostic test: record each pain separately, its impact, and the patient's beliefs.",
                    "Red flags prompt targeted action; suspected cauda equina syndrome needs emergency MRI.",
                    "Yellow flags predict disability; address them early, and do not image non-specific back pain routinely.",
                    "Diagnose CRPS with the Budapest criteria and start function-focused rehabilitation without delay.",
                ),
                references(
                    "Harden RN, Bruehl S, Perez RS, et al. Validation of proposed diagnostic criteria (the “Budapest Criteria”) for complex regional pain syndrome. Pain. 2010;150(2):268-74.",
                    "Goebel A, Barker C, Turner-Stokes L, et al. Complex regional pain syndrome in adults: UK guidelines for diagnosis, referral and management in primary and secondary care. 2nd ed. London: Royal College of Physicians; 2018.",
                    "Chou R, Fu R, Carrino JA, Deyo RA. Imaging strategies for low-back pain: systematic review and meta-analysis. Lancet. 2009;373(9662):463-72.",
                    HILL_2011,
                    NICE_NG59,
                ),
            ],
        },
        {
            "title": "The multidisciplinary team and the biopsychosocial plan",
            "slug": "multidisciplinary-pain-management",
            "summary": "Who does what in a pain team, how to build a plan around the patient's goals, opioid stewardship, and measuring outcomes that matter.",
            "estimated_minutes": 45,
            "objectives": [
                "Describe the contribution of each member of a multidisciplinary pain team.",
                "Build a biopsychosocial management plan with measurable, patient-centred goals.",
                "Apply the principles of safe opioid prescribing, review and tapering in chronic non-cancer pain.",
                "Measure outcomes with validated patient-reported measures.",
            ],
            "body": [
                heading("Why a team"),
                paragraph(
                    "<p>Pain involves body, mind and circumstances, and no single clinician can address all three "
                    "well. Multidisciplinary pain management means coordinated care from clinicians of different "
                    "disciplines working to shared goals, not simply referral to several specialists in turn. In "
                    "chronic low back pain it improves pain and disability more than usual care or physical "
                    "treatment alone, and the same principle underpins acute pain services and palliative care "
                    "teams.</p>"
                ),
                table(
                    "Who does what in a multidisciplinary pain team",
                    [
                        ["Team member", "Contribution"],
                        [
                            "Pain physician",
                            "Diagnosis, review of medicines, interventional procedures, coordination of the plan",
                        ],
                        [
                            "Physiotherapist",
                            "Assessment of movement, graded exercise and activity, pacing, pain education",
                        ],
                        [
                            "Clinical psychologist",
                            "Cognitive behavioural therapy, acceptance and commitment therapy, distress, sleep and fear-avoidance",
                        ],
                        [
                            "Specialist nurse",
                            "Education, follow-up, titration of medicines and safety monitoring",
                        ],
                        [
                            "Occupational therapist",
                            "Function at home and at work, adaptations, return-to-work planning",
                        ],
                        [
                            "Pharmacist",
                            "Medicines reconciliation, interactions, opioid and gabapentinoid stewardship",
                        ],
                        ["Family doctor", "Continuity, long-term review, coordination with other conditions"],
                    ],
                ),
                heading("Building the plan"),
                paragraph(
                    "<p>Start with the patient's goals, not the pain score: returning to work, walking to the market "
                    "or the temple, lifting a grandchild, sleeping through the night. Make the goals specific and "
                    "measurable, and agree the parts of the plan with the patient as an active participant: "
                    "understanding pain (education that presents pain as a protective output of the nervous system "
                    "rather than a measure of damage), graded activity or exercise, pacing, sleep, mood, medicines, "
                    "and any procedure.</p>"
                    "<p>Pain management programmes deliver this in groups, combining physiotherapist-led exercise "
                    "with psychological approaches. Cognitive behavioural therapy and acceptance and commitment "
                    "therapy reduce disability and distress; their effect on pain intensity is modest, which is why "
                    "the goals should be about living well rather than about a number.</p>"
                ),
                heading("Opioid stewardship in chronic non-cancer pain"),
                paragraph(
                    "<p>Opioids are effective for acute pain and cancer pain, but long-term use for chronic non-cancer "
                    "pain brings limited benefit for most patients and substantial harm: dependence, opioid-induced "
                    "hyperalgesia, endocrine suppression, falls, overdose, and dangerous interactions with alcohol, "
                    "benzodiazepines and gabapentinoids. Risk rises with dose while benefit does not; the Faculty "
                    "of Pain Medicine's <i>Opioids Aware</i> resource notes that harms increase substantially above "
                    "about 120 mg oral morphine equivalent a day without added benefit.</p>"
                    "<p>If an opioid is considered, agree the goals and a defined trial period in advance, start low "
                    "with an immediate-release preparation, avoid co-prescribed sedatives, review regularly, and stop "
                    "if the goals are not met. For patients already on long-term opioids without benefit, tapering "
                    "is usually appropriate, but it is done <i>with</i> the patient, not to them: reduce gradually "
                    "(more slowly after years of use), support mood, sleep and withdrawal symptoms, and never stop "
                    "abruptly, which risks withdrawal, uncontrolled pain, psychological crisis and a turn to illicit "
                    "opioids.</p>"
                ),
                heading("Measuring outcomes"),
                paragraph(
                    "<p>What is measured shapes what is done. Alongside pain intensity, record function and impact "
                    "with validated patient-reported measures: the Brief Pain Inventory (pain severity and "
                    "interference), condition-specific scales such as the Oswestry Disability Index or WOMAC, mood "
                    "screening (PHQ-9, GAD-7), and the patient's global impression of change. A reduction in pain of "
                    "about 30%, or a gain in function the patient values, is clinically important; the absence of "
                    "either after a fair trial is a reason to change course.</p>"
                ),
                key_points(
                    "Coordinated multidisciplinary care outperforms single-discipline treatment for complex chronic pain.",
                    "Plan around the patient's measurable goals, with education, graded activity, sleep and mood alongside medicines.",
                    "Long-term opioids need clear goals, a defined trial, regular review, and gradual, supported tapering when benefit is lacking.",
                    "Measure function and impact, not only pain intensity; about 30% improvement is clinically meaningful.",
                ),
                references(
                    "Kamper SJ, Apeldoorn AT, Chiarotto A, et al. Multidisciplinary biopsychosocial rehabilitation for chronic low back pain: Cochrane systematic review and meta-analysis. BMJ. 2015;350:h444.",
                    "Williams ACdC, Fisher E, Hearn L, Eccleston C. Psychological therapies for the management of chronic pain (excluding headache) in adults. Cochrane Database Syst Rev. 2020;8:CD007407.",
                    "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC clinical practice guideline for prescribing opioids for pain — United States, 2022. MMWR Recomm Rep. 2022;71(3):1-95.",
                    "Dworkin RH, Turk DC, Wyrwich KW, et al. Interpreting the clinical importance of treatment outcomes in chronic pain clinical trials: IMMPACT recommendations. J Pain. 2008;9(2):105-21.",
                    "Cleeland CS, Ryan KM. Pain assessment: global use of the Brief Pain Inventory. Ann Acad Med Singapore. 1994;23(2):129-38.",
                    "Faculty of Pain Medicine of the Royal College of Anaesthetists. Opioids Aware: a resource for patients and healthcare professionals to support prescribing of opioid medicines for pain. London: FPM; 2015 (online resource).",
                ),
            ],
        },
    ],
}


# --- Course: Acute pain -------------------------------------------------------------------

ACUTE_COURSE = {
    "title": "Acute Pain Management: Assessment to Multimodal Analgesia",
    "slug": "acute-pain-management",
    "track": "acute",
    "summary": (
        "Assess acute pain reliably, build opioid-sparing multimodal regimens and use regional "
        "techniques safely in the emergency department, on the ward and after surgery."
    ),
    "description": (
        "<p>Poorly controlled acute pain delays mobilisation, disturbs sleep, increases pulmonary and "
        "thromboembolic complications, and is one of the strongest predictors of persistent "
        "postsurgical pain. Yet most acute pain is predictable, and much of it is preventable with "
        "simple, well-organised care.</p>"
        "<p>This course follows the patient from assessment to discharge: how to measure pain, including "
        "in patients who cannot report it; how to combine paracetamol, NSAIDs, opioids and adjuvants so "
        "that each adds benefit without adding harm; and when a nerve block or an epidural changes the "
        "outcome. It closes with the safety systems an acute pain service depends on: sedation "
        "monitoring, local anaesthetic toxicity drills and safe opioid prescribing at discharge.</p>"
    ),
    "objectives": [
        "Apply the IASP 2020 definition of pain and distinguish nociceptive and neuropathic components of acute pain.",
        "Select and interpret a validated assessment tool for adults, children, people with dementia and critically ill patients.",
        "Construct a multimodal, opioid-sparing analgesic plan for a common surgical procedure or injury.",
        "Monitor for opioid-induced ventilatory impairment using sedation scores and respond appropriately.",
        "Use regional anaesthetic techniques safely, including dose calculation and the management of local anaesthetic systemic toxicity.",
    ],
    "cme_credit_hours": "6.0",
    "estimated_hours": 8,
    "audience": "Anaesthesiologists, emergency physicians, surgeons and hospitalists who manage acute pain",
    "faculty": [
        ("Dr Kavita Rao", "Course director"),
        ("Dr Arjun Menon", "Author"),
    ],
    "modules": [
        {
            "title": "Assessing acute pain",
            "slug": "assessing-acute-pain",
            "summary": "The IASP definition in practice, choosing a pain scale for every patient, and why sedation is measured before respiratory rate.",
            "estimated_minutes": 40,
            "objectives": [
                "Apply the IASP 2020 definition of pain and its accompanying notes to clinical practice.",
                "Choose a pain scale appropriate to the patient's age, cognition and ability to communicate.",
                "Combine pain intensity with functional and sedation assessment when making treatment decisions.",
            ],
            "body": [
                heading("What we mean by pain"),
                paragraph(
                    "<p>In 2020 the International Association for the Study of Pain revised its definition of pain "
                    "for the first time since 1979. Pain is now “an unpleasant sensory and emotional experience "
                    "associated with, or resembling that associated with, actual or potential tissue damage”. The "
                    "revision no longer depends on a patient being able to describe pain in words, which places "
                    "neonates, people with advanced dementia and intubated patients firmly within the definition.</p>"
                    "<p>The accompanying notes are as useful as the definition. Pain is always a personal experience, "
                    "influenced to varying degrees by biological, psychological and social factors; pain and "
                    "nociception are different phenomena; a person's report of pain should be respected; and "
                    "although pain usually serves an adaptive role, it can harm function and well-being. Verbal "
                    "description is only one of several behaviours that express pain.</p>"
                ),
                paragraph(
                    "<p>Even in the acute setting, ask which mechanism is driving the pain. Most postoperative and "
                    "traumatic pain is nociceptive (somatic or visceral). A neuropathic component (burning, "
                    "shooting or electric pain, allodynia, or pain in the territory of an injured nerve) is common "
                    "after thoracotomy, amputation, hernia repair and spinal surgery, responds poorly to opioids "
                    "alone, and signals a higher risk of persistent postsurgical pain. Recognising it early changes "
                    "the plan.</p>"
                ),
                heading("Measuring intensity"),
                paragraph(
                    "<p>For adults who can communicate, the 0–10 numerical rating scale (NRS) is quick, works "
                    "verbally or on paper, and is the most widely used tool. The 100 mm visual analogue scale is "
                    "common in research but needs a printed line, adequate vision and dexterity. A four- or "
                    "five-point verbal rating scale (none, mild, moderate, severe) is often easiest for frail older "
                    "patients. Whatever the tool, use the same one for the same patient, and record pain at rest "
                    "<i>and</i> on movement (deep breathing, coughing, walking), because it is movement-related pain "
                    "that prevents recovery.</p>"
                    "<p>A number is not a prescription. A score of 7 in a patient who is mobilising and coughing well "
                    "may need no change, while a score of 4 in a patient with rib fractures who cannot take a deep "
                    "breath may need a regional block. Functional goals (can the patient cough, sit out, walk to the "
                    "bathroom?) turn a score into a decision.</p>"
                ),
                heading("Patients who cannot self-report"),
                paragraph(
                    "<p>When self-report is impossible or unreliable, use a validated behavioural tool and, where "
                    "possible, the view of someone who knows the patient well. Behavioural scores indicate the "
                    "presence of pain behaviour rather than its intensity, so treat a raised score as a prompt for an "
                    "analgesic trial followed by reassessment.</p>"
                ),
                table(
                    "Choosing an assessment tool",
                    [
                        ["Patient group", "Suggested tool", "Notes"],
                        [
                            "Adults able to communicate",
                            "Numerical rating scale (0–10)",
                            "Record at rest and on movement; use the same tool each time",
                        ],
                        [
                            "Frail older adults",
                            "Verbal rating scale (none, mild, moderate, severe)",
                            "Often easier than numbers; check hearing and vision",
                        ],
                        [
                            "Children from about 3 years",
                            "Wong–Baker FACES or another faces scale",
                            "Self-report; older children can use the NRS",
                        ],
                        [
                            "Young children after surgery",
                            "FLACC (face, legs, activity, cry, consolability)",
                            "Behavioural; validated from 2 months to 7 years",
                        ],
                        ["Advanced dementia", "PAINAD", "Observe during movement, not only at rest"],
                        [
                            "Ventilated or deeply sedated adults",
                            "CPOT or Behavioral Pain Scale",
                            "Interpret together with a sedation score",
                        ],
                    ],
                ),
                heading("Sedation before respiratory rate"),
                paragraph(
                    "<p>Every assessment of a patient receiving opioids should include a sedation score. "
                    "Opioid-induced ventilatory impairment is usually preceded by increasing sedation; a falling "
                    "respiratory rate is a late sign, and pulse oximetry can be falsely reassuring in a patient "
                    "breathing supplemental oxygen. Scales such as the Pasero Opioid-induced Sedation Scale give "
                    "nurses a clear threshold: a patient who is frequently drowsy and drifts off mid-conversation "
                    "should receive no more opioid until reviewed, whatever the pain score.</p>"
                ),
                key_points(
                    "Pain is a personal experience; a patient's report is respected, and inability to communicate does not mean absence of pain.",
                    "Measure pain at rest and on movement, and link the score to a functional goal.",
                    "Use a validated behavioural tool (FLACC, PAINAD, CPOT or BPS) when self-report is not possible.",
                    "Rising sedation, not a falling respiratory rate, is the early warning sign of opioid toxicity.",
                ),
                references(
                    RAJA_2020,
                    "Hawker GA, Mian S, Kendzerska T, French M. Measures of adult pain: Visual Analog Scale for Pain (VAS Pain), Numeric Rating Scale for Pain (NRS Pain), McGill Pain Questionnaire (MPQ), Short-Form McGill Pain Questionnaire (SF-MPQ), Chronic Pain Grade Scale (CPGS), Short Form-36 Bodily Pain Scale (SF-36 BPS), and Measure of Intermittent and Constant Osteoarthritis Pain (ICOAP). Arthritis Care Res (Hoboken). 2011;63 Suppl 11:S240-52.",
                    "Merkel SI, Voepel-Lewis T, Shayevitz JR, Malviya S. The FLACC: a behavioral scale for scoring postoperative pain in young children. Pediatr Nurs. 1997;23(3):293-7.",
                    "Warden V, Hurley AC, Volicer L. Development and psychometric evaluation of the Pain Assessment in Advanced Dementia (PAINAD) scale. J Am Med Dir Assoc. 2003;4(1):9-15.",
                    "Gélinas C, Fillion L, Puntillo KA, Viens C, Fortier M. Validation of the critical-care pain observation tool in adult patients. Am J Crit Care. 2006;15(4):420-7.",
                    SCHUG_2020,
                ),
            ],
        },
        {
            "title": "Multimodal analgesia: building the regimen",
            "slug": "multimodal-analgesia",
            "summary": "Paracetamol, NSAIDs, opioids and adjuvants combined for benefit without added harm, and planning the opioid stop date at the start.",
            "estimated_minutes": 50,
            "objectives": [
                "Explain the rationale for multimodal, opioid-sparing analgesia and its limits.",
                "Prescribe paracetamol, NSAIDs and COX-2 inhibitors safely, adjusting for renal, gastrointestinal, cardiovascular and hepatic risk.",
                "Choose an opioid, route and formulation for acute pain and plan its reduction before discharge.",
                "Weigh the evidence for adjuvants: ketamine, dexamethasone, intravenous lidocaine and gabapentinoids.",
            ],
            "body": [
                heading("Why combine analgesics"),
                paragraph(
                    "<p>Multimodal, or “balanced”, analgesia combines drugs and techniques that act at different "
                    "points of the pain pathway, so that lower doses of each give additive or synergistic relief "
                    "with fewer adverse effects. In practice its main purpose is to reduce opioid requirements, and "
                    "with them nausea, ileus, sedation, respiratory depression and the risk of persistent opioid use "
                    "after surgery.</p>"
                    "<p>A good regimen is procedure-specific and simple. Regular paracetamol and an NSAID (unless "
                    "contraindicated) form the foundation; a local anaesthetic technique (wound infiltration, a "
                    "fascial plane block or a peripheral nerve block) is added where the procedure allows; and an "
                    "opioid is reserved for pain that remains, at the lowest effective dose for the shortest time. "
                    "The PROSPECT collaboration publishes procedure-specific recommendations worth consulting before "
                    "writing a standard order set. More drugs are not automatically better: each brings its own "
                    "adverse effects and interactions.</p>"
                ),
                heading("The foundation: paracetamol and NSAIDs"),
                paragraph(
                    "<p>Give paracetamol regularly rather than “as required”. The usual adult dose is 1 g every six "
                    "hours to a maximum of 4 g a day; use a weight-based dose (commonly 15 mg/kg) in adults under "
                    "50 kg, and lower the daily maximum in hepatic impairment, chronic alcohol excess, malnutrition "
                    "or dehydration. Intravenous paracetamol offers no analgesic advantage in a patient who can "
                    "swallow and absorb.</p>"
                    "<p>NSAIDs and COX-2 selective inhibitors are effective for somatic and musculoskeletal pain. "
                    "Before prescribing, check renal function, volume status, gastrointestinal history, "
                    "cardiovascular risk, anticoagulant use and any history of NSAID-exacerbated asthma. Use the "
                    "lowest effective dose for a short course, add a proton pump inhibitor when gastrointestinal "
                    "risk is raised, and avoid them in significant renal impairment or hypovolaemia. Evidence that "
                    "short courses impair bone or anastomotic healing is limited; follow local surgical "
                    "guidance.</p>"
                ),
                heading("Opioids: right drug, right duration"),
                paragraph(
                    "<p>For moderate to severe pain that persists despite the foundation, an immediate-release oral "
                    "opioid (for example oxycodone or morphine) titrated to effect is usually preferred. When oral "
                    "intake is not possible, intravenous patient-controlled analgesia gives more consistent control "
                    "than intermittent intramuscular injections. Do not use modified-release opioids to manage acute "
                    "pain in opioid-naive patients: they cannot be titrated quickly and have been associated with "
                    "respiratory depression. Codeine and tramadol depend on CYP2D6 metabolism, so their effect and "
                    "toxicity vary widely between individuals; codeine must not be used for pain in children after "
                    "tonsillectomy.</p>"
                    "<p>Plan the stop date when you start. Discharge supplies should be short, matched to the "
                    "expected recovery, and accompanied by advice on tapering, safe storage and disposal. Persistent "
                    "opioid use after surgery is a recognised complication, more likely after orthopaedic and spinal "
                    "surgery and in patients with preoperative opioid use, anxiety or depression.</p>"
                ),
                heading("Adjuvants"),
                paragraph(
                    "<p>Low-dose ketamine, an NMDA receptor antagonist, reduces postoperative opioid consumption "
                    "and is particularly useful in opioid-tolerant patients and major spinal surgery. A single "
                    "intraoperative dose of dexamethasone reduces nausea and modestly improves analgesia. Intravenous "
                    "lidocaine infusion has evidence in abdominal surgery, but it needs monitoring and a defined stop "
                    "time, and its dose must be counted with any other local anaesthetic given. Routine perioperative "
                    "gabapentinoids are no longer recommended: meta-analyses show no clinically important analgesic "
                    "benefit, while they add dizziness, visual disturbance and, with opioids, a risk of respiratory "
                    "depression. Alpha-2 agonists (clonidine, dexmedetomidine) spare opioids at the cost of "
                    "hypotension and bradycardia.</p>"
                ),
                table(
                    "Building blocks of a multimodal regimen (typical adult use; adjust to the patient and local formulary)",
                    [
                        ["Component", "Typical adult use", "Main cautions"],
                        [
                            "Paracetamol",
                            "1 g orally every 6 h (maximum 4 g a day); 15 mg/kg if under 50 kg",
                            "Hepatic impairment, alcohol excess, malnutrition: lower the maximum",
                        ],
                        [
                            "NSAID or COX-2 inhibitor",
                            "e.g. ibuprofen 400 mg every 6–8 h, or celecoxib 100–200 mg twice daily, for a short course",
                            "Renal impairment, hypovolaemia, GI bleeding, cardiovascular disease, anticoagulants, NSAID-sensitive asthma",
                        ],
                        [
                            "Immediate-release oral opioid",
                            "e.g. oxycodone 5–10 mg up to 4-hourly as needed, titrated to effect",
                            "Sedation monitoring, laxative; no modified-release opioids for acute pain in the opioid-naive",
                        ],
                        [
                            "Local anaesthetic technique",
                            "Infiltration, fascial plane or peripheral nerve block, epidural",
                            "Calculate the total dose; toxicity precautions; anticoagulant timing for neuraxial blocks",
                        ],
                        [
                            "Ketamine",
                            "Sub-anaesthetic bolus (e.g. 0.1–0.5 mg/kg) with or without a low-dose infusion",
                            "Psychotomimetic effects; caution in psychosis and uncontrolled hypertension",
                        ],
                        [
                            "Dexamethasone",
                            "Single intraoperative dose (e.g. 4–8 mg IV)",
                            "Transient hyperglycaemia in diabetes",
                        ],
                    ],
                ),
                key_points(
                    "Regular paracetamol and an NSAID, plus a local anaesthetic technique where possible, form the foundation; opioids treat what remains.",
                    "Use immediate-release opioids titrated to effect for the shortest time; no modified-release opioids for acute pain in the opioid-naive.",
                    "Routine perioperative gabapentinoids add harm without clinically important benefit.",
                    "Plan opioid reduction and the discharge supply at the start, not at the end.",
                ),
                references(
                    "Kehlet H, Dahl JB. The value of “multimodal” or “balanced analgesia” in postoperative pain treatment. Anesth Analg. 1993;77(5):1048-56.",
                    "Chou R, Gordon DB, de Leon-Casasola OA, et al. Management of postoperative pain: a clinical practice guideline from the American Pain Society, the American Society of Regional Anesthesia and Pain Medicine, and the American Society of Anesthesiologists' Committee on Regional Anesthesia, Executive Committee, and Administrative Council. J Pain. 2016;17(2):131-57.",
                    "Joshi GP, Van de Velde M, Kehlet H; PROSPECT Working Group Collaborators. Development of evidence-based recommendations for procedure-specific pain management: PROSPECT methodology. Anaesthesia. 2019;74(10):1298-304.",
                    "Verret M, Lauzier F, Zarychanski R, et al. Perioperative use of gabapentinoids for the management of postoperative acute pain: a systematic review and meta-analysis. Anesthesiology. 2020;133(2):265-79.",
                    SCHUG_2020,
                ),
            ],
        },
        {
            "title": "Regional anaesthesia and the acute pain service",
            "slug": "regional-anaesthesia-and-safety",
            "summary": "Blocks that change outcomes, local anaesthetic dosing and toxicity, patient-controlled analgesia, and how an acute pain service keeps patients safe.",
            "estimated_minutes": 45,
            "objectives": [
                "Match common regional techniques to procedures and injuries, including hip and rib fractures.",
                "Calculate safe local anaesthetic doses, and recognise and treat local anaesthetic systemic toxicity.",
                "Set up and supervise patient-controlled and epidural analgesia safely.",
            ],
            "body": [
                heading("What regional techniques offer"),
                paragraph(
                    "<p>Local anaesthetic techniques provide the most effective analgesia on movement and reduce "
                    "opioid requirements. Ultrasound guidance has made peripheral and fascial plane blocks faster, "
                    "more reliable and safer, bringing them into emergency departments and surgical wards. Examples "
                    "with good evidence include the fascia iliaca compartment block for hip fracture, which improves "
                    "pain on movement and may reduce delirium; erector spinae or serratus anterior plane blocks, or "
                    "thoracic epidural analgesia, for multiple rib fractures; and continuous peripheral nerve "
                    "catheters after major limb surgery.</p>"
                    "<p>Thoracic epidural analgesia remains valuable after major open abdominal and thoracic surgery, "
                    "but it needs an organised service: frequent observations at first, regular assessment of "
                    "sensory and motor block, a protocol for hypotension, and strict timing of anticoagulants "
                    "according to current ASRA or national guidance. A new, dense or progressive motor block during "
                    "an epidural infusion is an epidural haematoma or abscess until proven otherwise and needs urgent "
                    "imaging.</p>"
                ),
                heading("Local anaesthetic systemic toxicity"),
                paragraph(
                    "<p>Toxicity depends on the total dose, the site (absorption is fastest after intercostal and "
                    "other highly vascular injections), the patient (extremes of age, low muscle mass, cardiac, "
                    "hepatic or renal disease) and inadvertent intravascular injection. Early features include "
                    "perioral tingling, a metallic taste, tinnitus, agitation and confusion, progressing to seizures. "
                    "Cardiovascular toxicity (bradycardia, conduction block, ventricular arrhythmias, cardiac arrest) "
                    "may follow or, with bupivacaine, come first.</p>"
                    "<p>Prevent it by calculating the maximum dose for every patient, using the lowest effective "
                    "volume, aspirating and injecting incrementally, and using ultrasound. If toxicity occurs: stop "
                    "injecting, call for help, maintain the airway with 100% oxygen, treat seizures with a "
                    "benzodiazepine, and give 20% lipid emulsion early, following the ASRA checklist or the "
                    "Association of Anaesthetists guideline (an initial bolus of about 1.5 mL/kg followed by an "
                    "infusion). Continue resuscitation for longer than usual, since recovery after prolonged "
                    "resuscitation is described. Keep lipid emulsion wherever blocks are performed.</p>"
                ),
                table(
                    "Local anaesthetics: commonly quoted maximum single doses (a guide only; reduce for frail patients and vascular sites)",
                    [
                        ["Drug", "Commonly quoted maximum", "Notes"],
                        [
                            "Lidocaine",
                            "3 mg/kg plain; 7 mg/kg with adrenaline",
                            "Fast onset, short duration; count intravenous infusions too",
                        ],
                        [
                            "Bupivacaine",
                            "2 mg/kg",
                            "Most cardiotoxic; cardiovascular collapse may precede seizures",
                        ],
                        ["Levobupivacaine", "2 mg/kg", "Less cardiotoxic than racemic bupivacaine"],
                        ["Ropivacaine", "3 mg/kg", "Less motor block at low concentrations"],
                    ],
                ),
                heading("Patient-controlled analgesia"),
                paragraph(
                    "<p>Intravenous patient-controlled analgesia (PCA) lets the patient titrate small opioid boluses "
                    "within safe limits. A typical adult morphine programme is a 1 mg bolus with a 5-minute lockout "
                    "and no background infusion; background infusions increase respiratory depression without "
                    "improving analgesia in opioid-naive patients. Only the patient should press the button: "
                    "“PCA by proxy” by relatives or staff defeats the safety principle that a sedated patient stops "
                    "pressing. Monitor pain, sedation and respiratory rate, prescribe an antiemetic and naloxone, and "
                    "convert to oral analgesia as soon as the patient is eating and drinking.</p>"
                ),
                heading("The acute pain service"),
                paragraph(
                    "<p>Structured acute pain services (anaesthesiologists and specialist nurses who review patients "
                    "daily, own the protocols and teach ward staff) improve pain control and reduce the complications "
                    "of epidural and PCA therapy. The service is also the bridge to chronic pain care for patients at "
                    "risk of persistent postsurgical pain: those with severe early postoperative pain, pre-existing "
                    "chronic pain or opioid use, and neuropathic features.</p>"
                ),
                clinical_case(
                    title="Hip fracture in a patient with dementia",
                    presentation=(
                        "<p>An 84-year-old woman is brought to the emergency department after a fall at home. She has "
                        "moderate Alzheimer's disease, hypertension and chronic kidney disease (eGFR 38 mL/min/1.73 m²), "
                        "and takes apixaban for atrial fibrillation. Her left leg is shortened and externally rotated; "
                        "radiographs show a displaced intracapsular fracture of the femoral neck. She cannot give a pain "
                        "score but grimaces and calls out whenever she is moved; her PAINAD score during transfer is "
                        "8/10. She has received 2 mg of intravenous morphine and is now drowsy, yet still distressed on "
                        "movement.</p>"
                    ),
                    question="How would you manage her pain between now and surgery?",
                    discussion=(
                        "<p>Her behavioural score confirms severe pain on movement, and her drowsiness after a small dose "
                        "of morphine shows how narrow the opioid margin is in a frail patient with renal impairment. A "
                        "<b>fascia iliaca compartment block</b>, ultrasound-guided and with a calculated dose of a "
                        "long-acting local anaesthetic, is the priority: it gives analgesia on movement without "
                        "sedation, and early regional analgesia may reduce delirium. A fascial plane block is not "
                        "precluded by apixaban in the way that neuraxial anaesthesia is; spinal anaesthesia for surgery "
                        "must respect the recommended interval after the last dose.</p>"
                        "<p>Add regular paracetamol (weight-adjusted if she weighs under 50 kg) and avoid NSAIDs because "
                        "of her renal function and anticoagulation. Reserve small, titrated opioid doses for breakthrough "
                        "pain, with sedation monitoring, a laxative and an antiemetic. Reassess with PAINAD during "
                        "movement after the block, plan a catheter or repeat block if surgery is delayed, and involve the "
                        "orthogeriatric team early.</p>"
                    ),
                ),
                key_points(
                    "Regional techniques give the best analgesia on movement; offer a fascia iliaca block for hip fracture.",
                    "Calculate the maximum local anaesthetic dose before every block, and keep 20% lipid emulsion where blocks are performed.",
                    "No background infusion in opioid-naive PCA, and only the patient presses the button.",
                    "A new or progressive motor block during an epidural infusion needs urgent assessment and imaging.",
                ),
                references(
                    "Neal JM, Barrington MJ, Fettiplace MR, et al. The third American Society of Regional Anesthesia and Pain Medicine practice advisory on local anesthetic systemic toxicity: executive summary 2017. Reg Anesth Pain Med. 2018;43(2):113-23.",
                    "Association of Anaesthetists of Great Britain and Ireland. AAGBI safety guideline: management of severe local anaesthetic toxicity. London: AAGBI; 2010.",
                    "Horlocker TT, Vandermeuelen E, Kopp SL, Gogarten W, Leffert LR, Benzon HT. Regional anesthesia in the patient receiving antithrombotic or thrombolytic therapy: American Society of Regional Anesthesia and Pain Medicine evidence-based guidelines (fourth edition). Reg Anesth Pain Med. 2018;43(3):263-309.",
                    "Guay J, Parker MJ, Griffiths R, Kopp S. Peripheral nerve blocks for hip fractures. Cochrane Database Syst Rev. 2017;5:CD001159.",
                    SCHUG_2020,
                ),
            ],
        },
    ],
}


# --- Course: Chronic pain -----------------------------------------------------------------

CHRONIC_COURSE = {
    "title": "Chronic Musculoskeletal Pain and Regenerative Interventions",
    "slug": "chronic-musculoskeletal-pain",
    "track": "chronic",
    "summary": (
        "Understand chronic pain mechanisms, treat neuropathic pain, and choose interventional and "
        "regenerative options (PRP, prolotherapy and cell therapy) with realistic expectations."
    ),
    "description": (
        "<p>Chronic pain, pain that persists or recurs for more than three months, is a condition in "
        "its own right rather than a long-lasting symptom. Managing it well depends on recognising the "
        "mechanism, treating function and quality of life rather than pain scores alone, and using "
        "medicines and procedures where they help and stopping them where they do not.</p>"
        "<p>This course moves from mechanisms (central sensitisation, nociplastic pain and the "
        "biopsychosocial model) to the pharmacotherapy of neuropathic pain, image-guided interventions "
        "for spinal and joint pain, and the regenerative therapies increasingly requested by patients "
        "with arthritis and sports injuries. Each module weighs the evidence and prepares you for an "
        "honest conversation with patients about what a treatment can and cannot do.</p>"
    ),
    "objectives": [
        "Classify chronic pain as primary or secondary and recognise nociceptive, neuropathic and nociplastic features.",
        "Apply NICE NG193 to chronic primary pain, including which medicines not to start.",
        "Select, start and titrate first- and second-line pharmacotherapy for neuropathic pain.",
        "Identify patients likely to benefit from medial branch radiofrequency ablation and epidural steroid injection.",
        "Explain platelet-rich plasma, prolotherapy and cell-based therapy for joint pain: evidence, procedure, risks and regulatory status in India.",
    ],
    "cme_credit_hours": "10.0",
    "estimated_hours": 12,
    "audience": "Pain physicians, anaesthesiologists, orthopaedic surgeons, physiatrists and rheumatologists",
    "faculty": [
        ("Dr Arjun Menon", "Course director"),
        ("Dr Sameer Kulkarni", "Author, regenerative medicine"),
    ],
    "modules": [
        {
            "title": "Mechanisms of chronic pain and the biopsychosocial model",
            "slug": "mechanisms-of-chronic-pain",
            "summary": "ICD-11 chronic primary and secondary pain, nociplastic pain and central sensitisation, yellow flags, and NICE NG193.",
            "estimated_minutes": 45,
            "objectives": [
                "Distinguish chronic primary from chronic secondary pain using the ICD-11 classification.",
                "Describe central sensitisation and recognise nociplastic pain in clinical practice.",
                "Identify psychosocial factors (yellow flags) that predict disability and guide management.",
            ],
            "body": [
                heading("Chronic pain is a condition, not just a symptom"),
                paragraph(
                    "<p>ICD-11 includes a classification of chronic pain developed by an IASP task force. Chronic "
                    "pain is pain that persists or recurs for more than three months. <b>Chronic primary pain</b> "
                    "occurs in one or more regions, is associated with significant emotional distress or functional "
                    "disability, and is not better accounted for by another condition; fibromyalgia and chronic "
                    "primary low back pain are examples. <b>Chronic secondary pain</b> syndromes begin as a symptom "
                    "of another disease: cancer, surgery or trauma, neuropathy, headache, and visceral or "
                    "musculoskeletal disease.</p>"
                    "<p>The distinction matters. In secondary pain, treating the underlying disease is central; in "
                    "primary pain it is the pain and its impact on the person that must be treated.</p>"
                ),
                heading("Three mechanistic descriptors"),
                paragraph(
                    "<p><b>Nociceptive</b> pain arises from actual or threatened damage to non-neural tissue and "
                    "activation of nociceptors, such as the pain of an inflamed joint. <b>Neuropathic</b> pain is "
                    "caused by a lesion or disease of the somatosensory nervous system, such as painful diabetic "
                    "neuropathy or post-herpetic neuralgia. In 2017 the IASP adopted a third descriptor, "
                    "<b>nociplastic</b> pain: pain from altered nociception despite no clear evidence of tissue "
                    "damage activating nociceptors, or of a lesion or disease of the somatosensory system. Many "
                    "patients have mixed pain; knee osteoarthritis with a nociplastic component explains why pain "
                    "so often fails to track radiographic severity.</p>"
                    "<p>Central sensitisation, an amplification of neural signalling within the central nervous "
                    "system, underlies much of this. Clinically it shows as pain disproportionate to the injury, "
                    "spread beyond the original site, allodynia and hyperalgesia, often with fatigue, unrefreshing "
                    "sleep, poor concentration and sensitivity to light, sound or smell. Recognising it explains to "
                    "patients why their pain persists, and warns the clinician that peripheral procedures alone may "
                    "disappoint.</p>"
                ),
                table(
                    "Clinical features that suggest the dominant mechanism",
                    [
                        ["Feature", "Nociceptive", "Neuropathic", "Nociplastic"],
                        [
                            "Distribution",
                            "Localised to the affected tissue",
                            "In a neuroanatomically plausible territory",
                            "Regional or widespread, often shifting",
                        ],
                        [
                            "Descriptors",
                            "Aching, throbbing; worse with loading",
                            "Burning, shooting, electric, tingling",
                            "Diffuse aching and tenderness, with fatigue and poor sleep",
                        ],
                        [
                            "Examination",
                            "Tenderness and pain on loading the structure",
                            "Sensory loss or gain (allodynia) in the territory",
                            "Widespread hyperalgesia without a matching lesion",
                        ],
                        [
                            "Examples",
                            "Osteoarthritis flare, tendinopathy",
                            "Radiculopathy, diabetic neuropathy, post-herpetic neuralgia",
                            "Fibromyalgia, irritable bowel syndrome, chronic primary low back pain",
                        ],
                    ],
                ),
                heading("The biopsychosocial model in practice"),
                paragraph(
                    "<p>Psychological and social factors are not an afterthought. Fear-avoidance beliefs, "
                    "catastrophising, low mood, poor sleep, job dissatisfaction and pending compensation claims "
                    "(the “yellow flags”) predict who will become disabled by pain better than imaging does. "
                    "Stratification tools such as the STarT Back tool sort patients with back pain by risk of a poor "
                    "outcome, so that low-risk patients receive advice and reassurance while high-risk patients "
                    "receive psychologically informed physiotherapy.</p>"
                    "<p>NICE guideline NG193 (2021) on chronic primary pain recommends supervised group exercise "
                    "programmes, psychological therapy (acceptance and commitment therapy or cognitive behavioural "
                    "therapy), acupuncture in defined circumstances, and, for adults aged 18 and over, a trial of an "
                    "antidepressant (amitriptyline, citalopram, duloxetine, fluoxetine, paroxetine or sertraline). "
                    "It advises against <i>starting</i> paracetamol, NSAIDs, opioids, antiepileptic drugs including "
                    "gabapentinoids, benzodiazepines, antipsychotics, ketamine, or local anaesthetic and "
                    "corticosteroid trigger point injections for chronic primary pain, and recommends reviewing these "
                    "medicines, with shared decisions about reducing them, in people already taking them. It does not "
                    "govern chronic secondary pain such as osteoarthritis, for which other guidance applies.</p>"
                ),
                key_points(
                    "Chronic pain lasts or recurs beyond three months; ICD-11 separates chronic primary from chronic secondary pain.",
                    "Nociplastic pain and central sensitisation explain pain that is widespread or out of proportion to tissue findings.",
                    "Yellow flags predict disability better than imaging; stratify and treat them.",
                    "For chronic primary pain, NICE NG193 favours exercise, psychological therapy and selected antidepressants, not opioids, NSAIDs or gabapentinoids.",
                ),
                references(
                    TREEDE_2019,
                    KOSEK_2016,
                    WOOLF_2011,
                    NICE_NG193,
                    HILL_2011,
                ),
            ],
        },
        {
            "title": "Neuropathic pain: diagnosis and pharmacotherapy",
            "slug": "neuropathic-pain",
            "summary": "Screening tools and the NeuPSIG grading system, first-line medicines and how to titrate them, and what to try next.",
            "estimated_minutes": 45,
            "objectives": [
                "Use screening tools and the NeuPSIG grading system to diagnose neuropathic pain.",
                "Select, start and titrate first-line agents: tricyclic antidepressants, SNRIs and gabapentinoids.",
                "Recognise when to use topical agents, tramadol or strong opioids, and when to refer to a specialist.",
            ],
            "body": [
                heading("Making the diagnosis"),
                paragraph(
                    "<p>Neuropathic pain is suggested by a history of a lesion or disease of the nervous system, pain "
                    "in a neuroanatomically plausible distribution, and descriptors such as burning, shooting, "
                    "electric-shock-like or pins-and-needles pain. Screening questionnaires help non-specialists: a "
                    "score of 4 or more out of 10 on the DN4, or 12 or more on the LANSS, suggests a neuropathic "
                    "component. They support clinical examination; they do not replace it.</p>"
                    "<p>The NeuPSIG grading system adds rigour. Pain is <i>possible</i> neuropathic pain when the "
                    "history and distribution fit; <i>probable</i> when examination shows negative or positive sensory "
                    "signs (hypoaesthesia, allodynia, hyperalgesia) in the territory of the lesioned nerve structure; "
                    "and <i>definite</i> when a diagnostic test (nerve conduction studies, skin biopsy, imaging) "
                    "confirms the lesion or disease. Always look for a treatable cause: diabetes, vitamin B12 "
                    "deficiency, alcohol, chemotherapy, nerve compression and HIV among others.</p>"
                ),
                heading("First-line medicines"),
                paragraph(
                    "<p>Systematic reviews support tricyclic antidepressants (TCAs), serotonin–noradrenaline reuptake "
                    "inhibitors (SNRIs, principally duloxetine) and the gabapentinoids (gabapentin and pregabalin) as "
                    "first-line treatment for most neuropathic pain. TCAs have the lowest number needed to treat, "
                    "roughly 3 to 4, but the most adverse effects; SNRIs and gabapentinoids have numbers needed to treat "
                    "of roughly 6 to 8. Only a minority of patients gain 50% relief from any single agent, so set "
                    "expectations around a meaningful reduction in pain with better sleep and function.</p>"
                    "<p>Start low, titrate over weeks, and judge each drug only after an adequate trial at a tolerated "
                    "therapeutic dose. If a first-line drug fails or is not tolerated, switch to another first-line drug "
                    "rather than abandoning treatment; a combination (for example duloxetine or a TCA with a "
                    "gabapentinoid) can help partial responders at lower doses of each. Trigeminal neuralgia is the "
                    "exception to these rules: carbamazepine is its first-line treatment.</p>"
                ),
                table(
                    "First-line agents for neuropathic pain in adults (a guide; check the local formulary)",
                    [
                        ["Drug", "Starting dose", "Usual effective range", "Important cautions"],
                        [
                            "Amitriptyline",
                            "10 mg at night",
                            "25–75 mg at night",
                            "Anticholinergic effects, sedation, falls; cardiac conduction disease; dangerous in overdose",
                        ],
                        [
                            "Duloxetine",
                            "30 mg once daily",
                            "60–120 mg daily",
                            "Nausea (start low), hepatic impairment, hyponatraemia; serotonin syndrome with other serotonergic drugs",
                        ],
                        [
                            "Gabapentin",
                            "100–300 mg at night",
                            "1,200–3,600 mg a day in three divided doses",
                            "Dizziness, sedation, oedema; reduce in renal impairment; misuse potential; respiratory depression with opioids",
                        ],
                        [
                            "Pregabalin",
                            "25–75 mg twice daily",
                            "150–600 mg a day in two divided doses",
                            "As for gabapentin; reduce in renal impairment",
                        ],
                    ],
                ),
                heading("Second- and third-line options"),
                paragraph(
                    "<p>For localised peripheral neuropathic pain, topical treatments avoid systemic effects: 5% "
                    "lidocaine plasters, for example in post-herpetic neuralgia, and the high-concentration (8%) "
                    "capsaicin patch applied in clinic, which can give relief lasting weeks to months. Tramadol has "
                    "some efficacy but carries serotonergic, seizure and dependence risks, and NICE limits it to acute "
                    "rescue. Strong opioids are third-line at best, given weak long-term evidence and substantial "
                    "harm. Botulinum toxin type A injections are used by specialists for focal peripheral neuropathic "
                    "pain, and selected refractory patients may be assessed for neuromodulation, such as spinal cord "
                    "stimulation for painful diabetic neuropathy or persistent radicular pain after spinal surgery.</p>"
                ),
                clinical_case(
                    title="Burning feet in a man with diabetes",
                    presentation=(
                        "<p>A 58-year-old man with type 2 diabetes for 14 years (HbA1c 8.4%) describes burning pain and "
                        "pins and needles in both feet for eight months, worse at night, so that he cannot bear the "
                        "bedsheet touching his toes. He has ischaemic heart disease with a previous myocardial "
                        "infarction, and takes aspirin, atorvastatin, metformin, and tramadol 50 mg as needed bought "
                        "over the counter. Pinprick and vibration sense are reduced to the mid-shins, ankle reflexes are "
                        "absent, and there is allodynia over the dorsum of both feet. His DN4 score is 7/10; eGFR is "
                        "72 mL/min/1.73 m².</p>"
                    ),
                    question="How would you grade his neuropathic pain, and which first-line medicine would you choose?",
                    discussion=(
                        "<p>The history and symmetrical, length-dependent distribution make neuropathic pain possible; "
                        "sensory signs confined to that distribution make it <b>probable</b>. Nerve conduction studies "
                        "would make it definite but need not delay treatment. Check vitamin B12 (he takes metformin), "
                        "thyroid function and alcohol intake, and work on glycaemic control and foot care.</p>"
                        "<p>Amitriptyline is less suitable given his ischaemic heart disease and the risk of arrhythmia. "
                        "Duloxetine (30 mg daily for a week, then 60 mg) or a gabapentinoid titrated at night are "
                        "reasonable first choices; his renal function allows standard gabapentinoid dosing. Explain that "
                        "sleep often improves before pain does, and review at four to six weeks. Tramadol adds "
                        "serotonergic risk with duloxetine and should be tapered rather than continued. If a single agent "
                        "gives a partial response, combining duloxetine with a gabapentinoid at moderate doses is an "
                        "evidence-based next step.</p>"
                    ),
                ),
                key_points(
                    "Grade neuropathic pain as possible, probable or definite, and always look for a treatable cause.",
                    "First line: a tricyclic, duloxetine or a gabapentinoid; switch or combine before moving down the list.",
                    "Topical lidocaine or high-concentration capsaicin suits localised peripheral neuropathic pain.",
                    "Opioids, tramadol included, have a limited place in long-term neuropathic pain.",
                ),
                references(
                    "Finnerup NB, Attal N, Haroutounian S, et al. Pharmacotherapy for neuropathic pain in adults: a systematic review and meta-analysis. Lancet Neurol. 2015;14(2):162-73.",
                    "Finnerup NB, Haroutounian S, Kamerman P, et al. Neuropathic pain: an updated grading system for research and clinical practice. Pain. 2016;157(8):1599-606.",
                    "Bouhassira D, Attal N, Alchaar H, et al. Comparison of pain syndromes associated with nervous or somatic lesions and development of a new neuropathic pain diagnostic questionnaire (DN4). Pain. 2005;114(1-2):29-36.",
                    (
                        "National Institute for Health and Care Excellence. Neuropathic pain in adults: pharmacological management in non-specialist settings. Clinical guideline CG173. London: NICE; 2013.",
                        "https://www.nice.org.uk/guidance/cg173",
                    ),
                ),
            ],
        },
        {
            "title": "Image-guided interventions for spinal and joint pain",
            "slug": "interventions-for-spinal-and-joint-pain",
            "summary": "Selecting patients for medial branch blocks and radiofrequency ablation, epidural steroid injections, and why image guidance is the standard.",
            "estimated_minutes": 45,
            "objectives": [
                "Select patients for diagnostic medial branch blocks and radiofrequency ablation of facet joint pain.",
                "Describe the indications, evidence and safety of epidural steroid injections for radicular pain.",
                "Recognise the red flags that must be excluded before any interventional procedure.",
            ],
            "body": [
                heading("Interventions in context"),
                paragraph(
                    "<p>Interventional procedures are one part of a rehabilitation-focused plan, not a substitute for "
                    "it. They work best when a specific pain generator has been identified by history, examination and, "
                    "where appropriate, diagnostic blocks; when their aim is to let the patient engage with exercise and "
                    "return to activity; and when clinician and patient agree in advance what outcome would count as "
                    "success. Before any procedure, exclude red flags (infection, malignancy, fracture, cauda equina "
                    "syndrome, progressive neurological deficit) and review anticoagulants, diabetic control and "
                    "allergies.</p>"
                ),
                heading("Facet joint pain and radiofrequency ablation"),
                paragraph(
                    "<p>Lumbar facet joint pain is typically axial low back pain, sometimes referred to the buttock or "
                    "thigh, often worse on extension and rotation, without radicular features. No single clinical sign "
                    "or imaging finding is diagnostic. The diagnosis rests on medial branch blocks: small volumes of "
                    "local anaesthetic placed under fluoroscopic or ultrasound guidance on the nerves that supply the "
                    "joints. Because single blocks give false-positive results, patients are selected for ablation only "
                    "after a prognostic block gives substantial relief; international consensus guidelines suggest a "
                    "threshold of at least 50%.</p>"
                    "<p>Radiofrequency ablation coagulates the medial branch with a heated electrode placed parallel to "
                    "the nerve. In well-selected patients relief commonly lasts six to twelve months, until the nerve "
                    "regenerates, and the procedure can be repeated. NICE NG59 supports radiofrequency denervation for "
                    "chronic low back pain when non-surgical treatment has not worked, the main source of pain is "
                    "thought to be structures supplied by the medial branch nerve, pain is moderate or severe, and a "
                    "diagnostic medial branch block has been positive. Similar principles apply to cervical facet pain, "
                    "and genicular nerve ablation is used for knee osteoarthritis pain in patients unsuitable for, or "
                    "wishing to delay, arthroplasty.</p>"
                ),
                heading("Epidural steroid injections"),
                paragraph(
                    "<p>Epidural injection of corticosteroid with local anaesthetic can shorten an episode of severe "
                    "radicular pain from disc herniation, giving short-term relief that carries patients through the "
                    "acute phase and into rehabilitation. It is not effective for axial back pain alone, and NICE advises "
                    "against it for neurogenic claudication due to central canal stenosis. NICE NG59 supports epidural "
                    "injection of local anaesthetic and steroid in acute and severe sciatica.</p>"
                    "<p>Transforaminal injection delivers the drug close to the inflamed nerve root but has been linked "
                    "to rare, catastrophic spinal cord and brain infarction after inadvertent injection of particulate "
                    "steroid into a radicular or vertebral artery. Use a non-particulate steroid such as dexamethasone "
                    "for transforaminal injections, confirm needle position with real-time contrast imaging (digital "
                    "subtraction where available), and never inject against resistance.</p>"
                ),
                heading("Why image guidance is the standard"),
                paragraph(
                    "<p>Fluoroscopy confirms bony landmarks and, with contrast, shows vascular uptake and epidural "
                    "spread. Ultrasound shows soft tissue, nerves and vessels in real time without radiation and suits "
                    "joints, tendons and peripheral nerves. Landmark-guided (“blind”) injections miss their target "
                    "more often, even in large joints such as the knee and shoulder, so image guidance is the standard "
                    "for spinal procedures and for any injection where precise placement matters.</p>"
                ),
                table(
                    "Common procedures at a glance",
                    [
                        ["Procedure", "Main indication", "What to expect", "Key risks"],
                        [
                            "Lumbar medial branch radiofrequency ablation",
                            "Facet-mediated axial low back pain after a positive diagnostic block",
                            "Relief commonly 6–12 months; can be repeated",
                            "Post-procedure neuritis, temporary numbness",
                        ],
                        [
                            "Transforaminal epidural steroid injection",
                            "Acute, severe radicular pain from disc herniation",
                            "Short-term relief (weeks to months)",
                            "Infection, dural puncture; rare infarction with particulate steroid",
                        ],
                        [
                            "Genicular nerve radiofrequency ablation",
                            "Knee osteoarthritis pain in patients not ready for, or unsuitable for, arthroplasty",
                            "Pain relief over months; evidence still growing",
                            "Haematoma, skin numbness",
                        ],
                    ],
                ),
                key_points(
                    "Interventions support rehabilitation; they rarely succeed as a stand-alone treatment.",
                    "Reserve facet radiofrequency ablation for patients with a positive diagnostic medial branch block.",
                    "Epidural steroids help acute, severe radicular pain in the short term, not axial pain or stenosis in the long term.",
                    "Use non-particulate steroid for transforaminal injections, and image guidance for every spinal procedure.",
                ),
                references(
                    "Cohen SP, Bhaskar A, Bhatia A, et al. Consensus practice guidelines on interventions for lumbar facet joint pain from a multispecialty, international working group. Reg Anesth Pain Med. 2020;45(6):424-67.",
                    "Rathmell JP, Benzon HT, Dreyfuss P, et al. Safeguards to prevent neurologic complications after epidural steroid injections: consensus opinions from a multidisciplinary working group and national organizations. Anesthesiology. 2015;122(5):974-84.",
                    NICE_NG59,
                ),
            ],
        },
        {
            "title": "Regenerative therapy for joint pain: PRP, prolotherapy and stem cells",
            "slug": "regenerative-therapy-for-joint-pain",
            "summary": (
                "What regenerative therapy is, who is a candidate, how PRP, prolotherapy and cell therapy are given, "
                "what patients can expect, regulation in India, and the evidence."
            ),
            "estimated_minutes": 50,
            "objectives": [
                "Define regenerative therapy and describe the three main approaches used for musculoskeletal pain.",
                "Select suitable candidates by weighing the condition, the site, the degree of injury and comorbidities.",
                "Explain the procedure, timeline, number of sessions and common side effects to a patient.",
                "Summarise the regulatory status of PRP and cell-based products in India and the strength of the evidence.",
            ],
            "body": [
                heading("What regenerative therapy means"),
                paragraph(
                    "<p>Regenerative therapy aims to repair or replace damaged cells and tissues, or to stimulate the "
                    "body's own repair mechanisms, so that joint pain falls and normal function returns. It contrasts "
                    "with the traditional approach to chronic musculoskeletal pain, in which analgesics, NSAIDs and "
                    "corticosteroid injections control symptoms, in effect masking the pain while degeneration "
                    "continues, often until surgery is the only option left. Regenerative treatments are instead "
                    "directed at the source of the pain: degenerate cartilage, a torn or tendinopathic tendon, a lax "
                    "ligament.</p>"
                    "<p>Three families of treatment are used for arthritis and sports injuries. Their biology differs, "
                    "but the idea is the same: deliver a stimulus to the damaged tissue that promotes healing rather "
                    "than suppressing inflammation.</p>"
                    "<ul><li><b>Stem cell (cell-based) therapy</b> delivers mesenchymal stromal cells, either the "
                    "patient's own (autologous, from bone marrow or fat) or from a donor (allogeneic). They act mainly "
                    "by releasing signalling molecules that modulate inflammation and support repair.</li>"
                    "<li><b>Platelet-rich plasma (PRP)</b>, also called growth factor concentrate, is prepared by "
                    "centrifuging the patient's own blood to concentrate platelets, whose granules release growth "
                    "factors such as PDGF, TGF-β and VEGF at the injection site.</li>"
                    "<li><b>Prolotherapy</b> injects an irritant solution, most often hypertonic dextrose, at ligament "
                    "and tendon attachments or into a joint, provoking a controlled inflammatory and proliferative "
                    "healing response.</li></ul>"
                ),
                heading("Choosing the right treatment for the right patient"),
                paragraph(
                    "<p>No regenerative treatment suits every patient, and not all of them relieve pain or dysfunction "
                    "in every condition. The choice depends on the nature of the condition, the location of the pain, "
                    "the degree of injury or tear, and the patient's other medical conditions. People with chronic pain "
                    "and dysfunction from degeneration or injury are the usual candidates: early to moderate knee "
                    "osteoarthritis, chronic tendinopathies (lateral epicondylitis, patellar, Achilles and rotator cuff "
                    "tendinopathy, partial tendon tears), ligament sprains and some cartilage injuries. Advanced "
                    "arthritis with deformity, complete tendon ruptures and mechanical locking are generally better "
                    "served by surgery.</p>"
                    "<p>Evaluation comes first: history, examination, imaging (ultrasound and, where needed, MRI or "
                    "weight-bearing radiographs), and a review of comorbidities and medicines. Relative "
                    "contraindications include active infection, malignancy, thrombocytopenia and other haematological "
                    "disorders, anticoagulation and pregnancy. Poorly controlled diabetes and smoking reduce the "
                    "response, and patients are usually asked to avoid NSAIDs around PRP treatment because they may "
                    "blunt platelet function. The specialist then matches treatment to patient: for example PRP for "
                    "early knee osteoarthritis or lateral epicondylitis, prolotherapy for ligament laxity or "
                    "enthesopathy, and an approved cell-therapy product for knee osteoarthritis where regulations "
                    "allow.</p>"
                ),
                heading("The procedure"),
                paragraph(
                    "<p>Regenerative injections are day-care procedures performed under local anaesthetic; hospital "
                    "admission is not needed. They should be given under image guidance, with ultrasound, fluoroscopy "
                    "(real-time X-ray) or both, so that the clinician sees where the needle is going and places the "
                    "injectate precisely in the damaged tissue or joint. Image guidance improves accuracy and the "
                    "chance of benefit, makes the procedure more comfortable, and helps avoid complications such as "
                    "injection into a vessel or nerve.</p>"
                    "<p>The number of sessions depends on the region and the degree of injury. For wear-and-tear "
                    "conditions such as knee osteoarthritis, one session of cell therapy or three sessions of PRP or "
                    "prolotherapy, a few weeks apart, are typical; published prolotherapy protocols have sometimes used "
                    "more. For a ligament or tendon problem, a single session may be enough.</p>"
                ),
                image(
                    "regenerative-timeline",
                    alt_text=(
                        "Timeline: injection on day 0; soreness settles within a week; first improvement at 2 to 6 "
                        "weeks; repair over 2 to 3 months; benefit may last a year or longer."
                    ),
                    caption="What a patient can typically expect after a regenerative injection.",
                    attribution="IPSC Pain Academy teaching diagram",
                ),
                heading("What patients can expect"),
                paragraph(
                    "<p>Most patients notice initial improvement within a few weeks. The repair process inside a joint "
                    "takes longer, typically a couple of months. For joint conditions the benefit commonly lasts a year "
                    "or longer, and it can last considerably longer when the injection is combined with physiotherapy, "
                    "strengthening exercise and structured rehabilitation; further injections can be given to extend "
                    "the effect. How long benefit lasts depends on the treatment site, the extent of the injury, and "
                    "the patient's health and activity level. Rehabilitation is not optional: the injection creates the "
                    "conditions for healing, and progressive loading is what remodels the tissue.</p>"
                    "<p>The common side effects are those of any injection: swelling, bruising and tenderness at the "
                    "injection site, sometimes with a flare of pain for two or three days, particularly after "
                    "prolotherapy, which works by provoking inflammation. They settle within a few days to a week. "
                    "Paracetamol and ice are usually enough; NSAIDs are best avoided in the first weeks after PRP. "
                    "Serious complications such as infection, nerve injury or bleeding are rare when a trained "
                    "specialist performs the procedure with aseptic technique and image guidance.</p>"
                ),
                heading("Sports injuries"),
                paragraph(
                    "<p>Sports injuries often involve tendon, cartilage and ligament, tissues with a limited blood "
                    "supply and a poor capacity to heal. Regenerative therapy is of particular interest here because "
                    "evidence has accumulated against the habitual treatments: corticosteroid injections give "
                    "short-term relief in tendinopathy but can worsen longer-term outcomes. Regenerative injections "
                    "combined with comprehensive rehabilitation may get the most out of non-surgical treatment, and "
                    "the recovery period is short: most patients return to daily activities within days, which suits "
                    "athletes who cannot afford to be out of their sport for more than a few weeks. Check current "
                    "anti-doping rules for competitive athletes.</p>"
                ),
                table(
                    "PRP, prolotherapy and stem cell therapy compared",
                    [
                        [
                            "Feature",
                            "Platelet-rich plasma (PRP)",
                            "Prolotherapy",
                            "Stem cell (cell-based) therapy",
                        ],
                        [
                            "What is injected",
                            "Platelet concentrate prepared from the patient's own blood",
                            "An irritant solution, usually hypertonic dextrose",
                            "Mesenchymal stromal cells: autologous, or an approved allogeneic product",
                        ],
                        [
                            "How it is thought to work",
                            "Platelet growth factors stimulate repair and modulate inflammation",
                            "Controlled inflammation triggers a proliferative healing response",
                            "Cells release signalling molecules that modulate inflammation and support repair",
                        ],
                        [
                            "Typical course for arthritis",
                            "3 sessions, a few weeks apart",
                            "3 sessions, a few weeks apart (some protocols use more)",
                            "Usually a single session",
                        ],
                        [
                            "Tendon or ligament problems",
                            "A single session may suffice",
                            "A single session may suffice; some need more",
                            "Not routine outside trials",
                        ],
                        [
                            "Setting",
                            "Day care, local anaesthetic, image-guided",
                            "Day care, local anaesthetic, image-guided",
                            "Day care; the approved product is given without anaesthesia",
                        ],
                        [
                            "Regulation in India",
                            "Autologous, not regulated as a drug; preparation devices need approval",
                            "Licensed solutions such as dextrose used off-label",
                            "Only approved products (such as StemOne for knee OA) or approved clinical trials",
                        ],
                        [
                            "Evidence",
                            "Most studied; trial results in knee OA are inconsistent",
                            "Small randomised trials in knee OA and tendinopathy",
                            "Early and limited late-phase data; long-term evidence awaited",
                        ],
                    ],
                ),
                heading("Regulatory status in India"),
                paragraph(
                    "<p>The Government of India has actively promoted research and development in regenerative "
                    "medicine, and cell- and stem cell–derived products are regulated as new drugs under the New Drugs "
                    "and Clinical Trials Rules, 2019. In September 2022 the Drugs Controller General of India (DCGI) "
                    "approved <b>StemOne</b>, an allogeneic cell-therapy product, for knee osteoarthritis: the first "
                    "allogeneic cell-therapy product approved for commercial use in India for this indication. It is "
                    "given as a single intra-articular injection in an outpatient procedure that needs no "
                    "anaesthesia. Outside approved products and approved clinical trials, the national guidelines for "
                    "stem cell research treat the use of stem cells in patients as malpractice.</p>"
                    "<p>PRP is derived from the patient's own blood and is therefore not regulated as a drug: neither "
                    "the DCGI nor the US Food and Drug Administration has rules for preparing PRP or giving the therapy. "
                    "The equipment used to prepare it is, however, regulated as a medical device (in the United States "
                    "it must be cleared by the FDA). Use approved systems and record the preparation method, because "
                    "platelet and leucocyte concentrations vary widely between systems. Research into the uses of PRP is "
                    "growing rapidly.</p>"
                ),
                heading("Cost and insurance"),
                paragraph(
                    "<p>Most insurers do not cover regenerative injections; a few cover PRP, depending on the condition "
                    "or injury being treated. Hospitals and clinics usually offer these treatments on a fee-for-service "
                    "basis, so patients should receive a written estimate covering all planned sessions, imaging and "
                    "rehabilitation before they commit.</p>"
                ),
                heading("Keeping expectations realistic"),
                paragraph(
                    "<p>The evidence is promising but still evolving, and it should be presented honestly. Several "
                    "trials and meta-analyses report that intra-articular PRP improves pain and function in knee "
                    "osteoarthritis, yet a large, well-conducted placebo-controlled trial (RESTORE, 2021) found no "
                    "difference from saline in pain or cartilage volume at 12 months, and the 2019 American College of "
                    "Rheumatology guideline recommends against PRP and stem cell injections for osteoarthritis, citing "
                    "heterogeneous preparations and uncertain evidence. Dextrose prolotherapy has outperformed saline "
                    "injection and exercise in small trials. Offer regenerative therapy as one option within a programme "
                    "of weight management, exercise and rehabilitation, with a clear account of variable response, "
                    "out-of-pocket cost and the need for longer-term evidence.</p>"
                ),
                clinical_case(
                    title="Knee osteoarthritis in an active teacher",
                    presentation=(
                        "<p>A 56-year-old schoolteacher has had medial right knee pain for two years, worse on stairs and "
                        "after standing through the school day. She used to walk 3 km every morning and now manages 1 km. "
                        "She has taken diclofenac on and off, with dyspepsia, and had one intra-articular corticosteroid "
                        "injection eight months ago that helped for about six weeks. Her BMI is 29 kg/m²; she has "
                        "well-controlled hypertension and no other illness. The knee has a small effusion and medial "
                        "joint-line tenderness, with full extension and flexion to 120°. Weight-bearing radiographs show "
                        "Kellgren–Lawrence grade 2 osteoarthritis of the medial compartment. She asks whether "
                        "“stem cells or PRP” could help her avoid a knee replacement.</p>"
                    ),
                    question="How would you counsel her, and what plan would you offer?",
                    discussion=(
                        "<p>She is a reasonable candidate for a regenerative option: early to moderate (grade 2) "
                        "osteoarthritis, a good range of movement, no mechanical locking, and the motivation to stay "
                        "active. The foundation of her care does not change, though: a structured quadriceps and hip "
                        "strengthening programme, weight reduction (losing 5–10% of body weight meaningfully improves "
                        "knee pain), activity pacing and footwear advice, started whatever she decides about "
                        "injections.</p>"
                        "<p>If she chooses an injection, explain the options honestly. <b>PRP</b> would usually be a course "
                        "of three ultrasound-guided intra-articular injections a few weeks apart, each a day-care procedure "
                        "under local anaesthetic. She should avoid NSAIDs around the treatment, expect a few days of "
                        "soreness and swelling, notice first improvement within a few weeks, and may benefit for a year or "
                        "longer if she keeps up her exercises. An approved allogeneic <b>cell-therapy product</b> "
                        "(StemOne) would be a single injection. Either way, set realistic expectations: trial evidence is "
                        "mixed, some patients do not respond, the cost is usually not covered by insurance, and no "
                        "injection reverses established arthritis or guarantees that she will avoid arthroplasty. Record "
                        "her goals (walking 3 km, getting through a school day) and review them at three and six "
                        "months.</p>"
                    ),
                ),
                key_points(
                    "Regenerative therapy aims to repair tissue or stimulate the body's own healing, treating the source of pain rather than masking it as NSAIDs and steroids do.",
                    "Three approaches: stem cell (cell-based) therapy, platelet-rich plasma and prolotherapy; the choice depends on the condition, site, degree of injury and comorbidities.",
                    "Typical course for arthritis: one stem cell session or three PRP or prolotherapy sessions; a single session may suffice for tendon or ligament problems.",
                    "Day-care procedures under local anaesthetic with ultrasound and/or fluoroscopic guidance; common side effects are local and settle within a week.",
                    "In India the DCGI approved StemOne, an allogeneic cell therapy for knee OA, in September 2022; autologous PRP is not regulated as a drug, but its devices are.",
                    "The evidence is evolving: combine injections with rehabilitation, and set realistic expectations about benefit and cost.",
                ),
                references(
                    "Bennell KL, Paterson KL, Metcalf BR, et al. Effect of intra-articular platelet-rich plasma vs placebo injection on pain and medial tibial cartilage volume in patients with knee osteoarthritis: the RESTORE randomized clinical trial. JAMA. 2021;326(20):2021-30.",
                    "Rabago D, Patterson JJ, Mundt M, et al. Dextrose prolotherapy for knee osteoarthritis: a randomized controlled trial. Ann Fam Med. 2013;11(3):229-37.",
                    "Kolasinski SL, Neogi T, Hochberg MC, et al. 2019 American College of Rheumatology/Arthritis Foundation guideline for the management of osteoarthritis of the hand, hip, and knee. Arthritis Care Res (Hoboken). 2020;72(2):149-62.",
                    "Coombes BK, Bisset L, Vicenzino B. Efficacy and safety of corticosteroid injections and other injections for management of tendinopathy: a systematic review of randomised controlled trials. Lancet. 2010;376(9754):1751-67.",
                    "Indian Council of Medical Research, Department of Biotechnology. National guidelines for stem cell research. New Delhi: ICMR and DBT; 2017.",
                    "Ministry of Health and Family Welfare, Government of India. New Drugs and Clinical Trials Rules, 2019. New Delhi; 2019.",
                ),
            ],
        },
    ],
}


# --- Course: Cancer pain ------------------------------------------------------------------

CANCER_COURSE = {
    "title": "Cancer Pain: Pharmacology, Interventions and Palliative Care",
    "slug": "cancer-pain",
    "track": "cancer",
    "summary": (
        "Assess cancer pain as total pain, use opioids confidently and safely (titration, conversion, "
        "breakthrough pain), and know when radiotherapy, nerve blocks or neurolysis will help more."
    ),
    "description": (
        "<p>Pain affects more than half of patients receiving treatment for cancer and about two-thirds of "
        "those with advanced disease, and it is still undertreated, in India often because oral morphine "
        "is hard to obtain. Most cancer pain can be controlled with well-used oral medicines; the rest "
        "needs timely referral for radiotherapy or an interventional procedure, within a palliative care "
        "approach that attends to physical, psychological, social and spiritual suffering.</p>"
        "<p>This course covers assessment and the WHO principles; opioid pharmacology in practice "
        "(starting, titrating and converting, and managing adverse effects and breakthrough pain); and the "
        "interventional and palliative options, from coeliac plexus neurolysis to intrathecal drug delivery "
        "and single-fraction radiotherapy, that every pain specialist should be able to offer or "
        "arrange.</p>"
    ),
    "objectives": [
        "Assess cancer pain comprehensively, including its mechanism, its temporal pattern and the concept of total pain.",
        "Apply the WHO 2018 recommendations and explain how they differ from a rigid stepwise ladder.",
        "Start, titrate and convert between opioids safely, using equianalgesic tables with appropriate caution.",
        "Distinguish breakthrough pain from end-of-dose failure and uncontrolled background pain, and treat each.",
        "Select patients for radiotherapy, neurolytic blocks and intrathecal drug delivery, and recognise metastatic spinal cord compression.",
    ],
    "cme_credit_hours": "8.0",
    "estimated_hours": 10,
    "audience": "Anaesthesiologists, pain physicians, oncologists, palliative care and general physicians",
    "faculty": [
        ("Dr Farah Siddiqui", "Course director"),
        ("Dr Arjun Menon", "Author, interventional procedures"),
    ],
    "modules": [
        {
            "title": "Assessing cancer pain and the WHO approach",
            "slug": "assessing-cancer-pain",
            "summary": "How common cancer pain is, total pain, the red flag of spinal cord compression, the WHO ladder and its modern critique, and access to opioids in India.",
            "estimated_minutes": 40,
            "objectives": [
                "Describe the prevalence and mechanisms of cancer pain, and the concept of total pain.",
                "Recognise red flags such as metastatic spinal cord compression that need urgent action.",
                "Explain the WHO principles of cancer pain management and the modern critique of the analgesic ladder.",
            ],
            "body": [
                heading("The size of the problem"),
                paragraph(
                    "<p>A systematic review found pain in about 55% of patients during anticancer treatment, 66% of "
                    "those with advanced, metastatic or terminal disease, and 39% after curative treatment; over a "
                    "third of patients with pain rated it moderate or severe. Pain may come from the tumour itself "
                    "(bone, viscera, soft tissue or nerve involvement), from treatment (post-surgical pain, "
                    "chemotherapy-induced neuropathy, radiation mucositis or plexopathy), or from unrelated "
                    "conditions.</p>"
                    "<p>Cicely Saunders' concept of <i>total pain</i> reminds us that suffering has physical, "
                    "psychological, social and spiritual dimensions. Fear of dying, worry about the family's finances "
                    "or depression can all magnify pain and its impact, and none of them respond to opioids. Assess "
                    "each pain separately (site, mechanism, intensity, temporal pattern, aggravating and relieving "
                    "factors) together with function, mood, sleep, the patient's understanding of the illness, and "
                    "their goals.</p>"
                ),
                heading("Red flags"),
                paragraph(
                    "<p>New or worsening back or neck pain in a patient with cancer, especially if thoracic, band-like, "
                    "worse on lying flat, coughing or straining, or disturbing sleep, must raise suspicion of spinal "
                    "metastases and impending metastatic spinal cord compression. Do not wait for weakness, a sensory "
                    "level or sphincter disturbance, because by then the outcome is worse. Arrange urgent MRI of the "
                    "whole spine and contact the oncology team the same day; corticosteroids, radiotherapy or surgical "
                    "decompression follow from the findings. Pathological fracture, hypercalcaemia, bowel obstruction "
                    "and infection also present as pain that needs urgent attention.</p>"
                ),
                heading("The WHO approach, then and now"),
                paragraph(
                    "<p>The WHO analgesic ladder, published in 1986, transformed cancer pain care by promoting regular "
                    "oral analgesia matched to the severity of pain: a non-opioid for mild pain, a weak opioid for mild "
                    "to moderate pain, and a strong opioid for moderate to severe pain, each with or without adjuvants. "
                    "Its principles remain sound: by mouth, by the clock, by the ladder, for the individual, and with "
                    "attention to detail.</p>"
                    "<p>The ladder has been criticised as too rigid. The second step (weak opioids such as codeine and "
                    "tramadol) adds a ceiling effect and pharmacogenetic variability, and a randomised trial showed that "
                    "low-dose oral morphine relieves moderate cancer pain better than a weak opioid. The ladder also "
                    "says nothing about radiotherapy, interventions or the non-drug care many patients need. The WHO "
                    "2018 guidelines therefore no longer present a stepwise protocol: they recommend starting with "
                    "paracetamol, an NSAID or an opioid, alone or in combination, according to clinical assessment and "
                    "pain severity; they allow any opioid that works to be used for maintenance; and they recommend "
                    "radiotherapy, preferably as a single fraction, for painful bone metastases.</p>"
                ),
                image(
                    "analgesic-ladder",
                    alt_text=(
                        "Three steps: a non-opioid for mild pain, a weak or low-dose strong opioid for mild to "
                        "moderate pain, and a strong opioid for moderate to severe pain, each with or without adjuvants."
                    ),
                    caption="The analgesic ladder read as a guide: start at the step that matches the pain, and review often.",
                    attribution="Adapted from the World Health Organization",
                ),
                heading("Access to opioids in India"),
                paragraph(
                    "<p>For many patients in India the main barrier is access, not knowledge. The Narcotic Drugs and "
                    "Psychotropic Substances (Amendment) Act, 2014 created a category of essential narcotic drugs, "
                    "including morphine, fentanyl and methadone, under uniform national rules, and allows Recognised "
                    "Medical Institutions to stock and dispense them. Knowing how to become, or refer to, a Recognised "
                    "Medical Institution is part of providing cancer pain care.</p>"
                ),
                key_points(
                    "Pain affects about two-thirds of patients with advanced cancer; assess each pain, its mechanism and the patient's total pain.",
                    "New back pain in a patient with cancer is a spinal metastasis until proven otherwise: image the whole spine urgently.",
                    "The WHO principles endure, but the ladder is a guide: low-dose strong opioids are appropriate for moderate pain.",
                    "In India, Recognised Medical Institutions can stock and dispense essential narcotic drugs such as oral morphine.",
                ),
                references(
                    WHO_2018,
                    "van den Beuken-van Everdingen MHJ, Hochstenbach LMJ, Joosten EAJ, Tjan-Heijnen VCG, Janssen DJA. Update on prevalence of pain in patients with cancer: systematic review and meta-analysis. J Pain Symptom Manage. 2016;51(6):1070-90.",
                    "Bandieri E, Romero M, Ripamonti CI, et al. Randomized trial of low-dose morphine versus weak opioids in moderate cancer pain. J Clin Oncol. 2016;34(5):436-42.",
                    ESMO_2018,
                ),
            ],
        },
        {
            "title": "Opioids in cancer pain: titration, conversion and breakthrough pain",
            "slug": "opioids-in-cancer-pain",
            "summary": "Starting and titrating strong opioids, converting between drugs and routes with appropriate caution, renal impairment, adverse effects and breakthrough pain.",
            "estimated_minutes": 55,
            "objectives": [
                "Start and titrate oral morphine or an alternative strong opioid in an opioid-naive patient.",
                "Convert between opioids and routes with an equianalgesic table, reducing the dose for incomplete cross-tolerance.",
                "Choose opioids appropriately in renal impairment.",
                "Prevent and manage opioid adverse effects, including constipation and neurotoxicity.",
                "Assess and treat breakthrough cancer pain.",
            ],
            "body": [
                heading("Starting and titrating"),
                paragraph(
                    "<p>Oral morphine remains the usual first-choice strong opioid for moderate to severe cancer pain, "
                    "with oral oxycodone and hydromorphone as effective alternatives. In an opioid-naive adult, a "
                    "typical start is immediate-release morphine 5–10 mg every four hours, with the same dose "
                    "available as needed for breakthrough pain; start lower (2.5–5 mg) in frail older patients and in "
                    "renal impairment. Review every day or two: add up the total taken in 24 hours, including rescue "
                    "doses, and adjust the regular dose, usually by 30–50% at a time, until pain is controlled or "
                    "adverse effects prevent further increase. Once the requirement is stable, convert to a "
                    "modified-release preparation and keep the immediate-release form for breakthrough pain.</p>"
                    "<p>Rescue doses are usually one-sixth to one-tenth of the total 24-hour regular dose, given as "
                    "needed; if the first is ineffective, it can be repeated after an hour. A patient needing more than "
                    "two or three rescue doses a day needs a review of the regular dose.</p>"
                ),
                heading("Converting between opioids and routes"),
                paragraph(
                    "<p>Switching opioids (opioid rotation) is considered when adverse effects limit dose escalation, "
                    "when pain is uncontrolled despite escalation, when the route must change, or when renal function "
                    "declines. Equianalgesic tables give a starting point, not an answer: the ratios are approximate, "
                    "derived largely from single-dose studies, not always bidirectional, and affected by age, organ "
                    "function and previous exposure. Because cross-tolerance between opioids is incomplete, reduce the "
                    "calculated dose of the new opioid by about 25–50% when pain is controlled, and provide adequate "
                    "rescue doses while re-titrating. Reduce less if switching because pain is poorly controlled, and "
                    "monitor closely.</p>"
                ),
                table(
                    "Approximate equivalents of oral morphine 10 mg (a starting point only; see the caveats above)",
                    [
                        ["Opioid and route", "Approximate equivalent", "Comments"],
                        [
                            "Morphine, subcutaneous or intravenous",
                            "5 mg (oral to parenteral about 2:1; ratios up to 3:1 are quoted)",
                            "Metabolites accumulate in renal impairment",
                        ],
                        [
                            "Oxycodone, oral",
                            "5–7 mg (morphine to oxycodone about 1.5–2:1)",
                            "Reduce dose and frequency in renal impairment",
                        ],
                        [
                            "Hydromorphone, oral",
                            "About 2 mg (ratios of 4–7.5:1 are reported)",
                            "Potent; check the formulation carefully",
                        ],
                        [
                            "Tapentadol, oral",
                            "About 25 mg",
                            "Also inhibits noradrenaline reuptake; serotonergic interactions",
                        ],
                        [
                            "Tramadol, oral",
                            "About 100 mg (ratios of 5–10:1 are quoted)",
                            "Maximum 400 mg a day; seizure and serotonergic risk",
                        ],
                        [
                            "Fentanyl, transdermal",
                            "A 12 microgram/hour patch is roughly oral morphine 30 mg per 24 hours",
                            "For stable pain only; 12–24 h to effect; fever and heat increase absorption",
                        ],
                        [
                            "Buprenorphine, transdermal",
                            "A 5 microgram/hour patch is roughly oral morphine 12 mg per 24 hours",
                            "Useful in renal impairment; brands are not interchangeable",
                        ],
                        [
                            "Methadone, oral",
                            "No fixed ratio",
                            "Long, variable half-life and QT prolongation; conversion by experienced clinicians only",
                        ],
                    ],
                ),
                heading("Renal and hepatic impairment"),
                paragraph(
                    "<p>Morphine's active metabolites, morphine-6-glucuronide and morphine-3-glucuronide, accumulate in "
                    "renal impairment and can cause prolonged sedation, myoclonus, hallucinations and respiratory "
                    "depression. With an eGFR below about 30 mL/min/1.73 m², prefer an opioid less dependent on renal "
                    "excretion, such as fentanyl, alfentanil or buprenorphine, or use oxycodone or hydromorphone "
                    "cautiously at reduced dose and frequency. In hepatic impairment most opioids need lower doses and "
                    "longer intervals; avoid long-acting preparations until the requirement is known.</p>"
                ),
                heading("Adverse effects"),
                paragraph(
                    "<p>Constipation is almost universal and does not wear off: prescribe a regular stimulant laxative "
                    "with a softener from the first dose, and consider a peripherally acting mu-opioid receptor "
                    "antagonist such as methylnaltrexone or naldemedine if laxatives fail. Nausea is common in the "
                    "first week and usually settles; sedation often improves within days. Opioid-induced neurotoxicity "
                    "(agitation, hallucinations, myoclonus, hyperalgesia) calls for dose reduction, hydration, a search "
                    "for precipitants (renal failure, infection, interacting drugs) and often a switch of opioid. If "
                    "naloxone is needed for respiratory depression in a patient on long-term opioids, give small, "
                    "titrated doses that restore breathing without reversing analgesia or precipitating withdrawal; "
                    "its action is shorter than most opioids', so repeat doses or an infusion may be needed.</p>"
                ),
                heading("Breakthrough pain"),
                paragraph(
                    "<p>Breakthrough cancer pain is a transient exacerbation of pain that occurs despite otherwise "
                    "adequately controlled background pain. It may be <i>incident</i> pain, triggered by movement, "
                    "eating, coughing or dressing changes, or <i>spontaneous</i>. <i>End-of-dose failure</i>, pain that "
                    "returns regularly before the next scheduled dose, is not breakthrough pain: it is treated by "
                    "adjusting the regular regimen. Uncontrolled background pain must likewise be managed first by "
                    "titrating the regular opioid.</p>"
                    "<p>Episodes often peak within minutes and last less than an hour. Oral immediate-release opioids "
                    "take 20–30 minutes to act, so for predictable incident pain give them 20–30 minutes before the "
                    "trigger. Transmucosal fentanyl preparations (buccal, sublingual or intranasal) act within 5–15 "
                    "minutes and suit rapid, unpredictable episodes in opioid-tolerant patients (those taking at least "
                    "60 mg oral morphine a day, or its equivalent, for a week or more); their dose is titrated "
                    "separately and cannot be derived from the background dose. Radiotherapy for a painful bone lesion "
                    "or fixation of a pathological fracture may remove the trigger altogether.</p>"
                ),
                clinical_case(
                    title="Switching route when swallowing becomes difficult",
                    presentation=(
                        "<p>A 62-year-old woman with carcinoma of the tongue and cervical lymph node metastases takes "
                        "modified-release morphine 45 mg twice daily, with immediate-release morphine 15 mg as needed, "
                        "used once or twice a day for movement-related neck pain. Her pain has been stable for two weeks. "
                        "Four weeks into chemoradiotherapy she has developed severe mucositis, can no longer swallow "
                        "tablets, and is losing weight. Her renal function is normal and she is afebrile.</p>"
                    ),
                    question="How would you convert her to a non-oral route, and what breakthrough analgesia would you prescribe?",
                    discussion=(
                        "<p>Her requirement is 90 mg of regular oral morphine plus 15–30 mg of rescue doses: roughly "
                        "105–120 mg in 24 hours. Because her pain has been stable and oral intake is no longer possible, "
                        "a <b>transdermal fentanyl</b> patch is a reasonable choice. With the commonly used ratio (a 12 "
                        "microgram/hour patch is roughly oral morphine 30 mg a day), her requirement corresponds to about "
                        "40–50 micrograms/hour; a conservative start is 37 micrograms/hour (a 25 and a 12 microgram/hour "
                        "patch), reviewed after 72 hours. Apply the first patches when she takes her last dose of "
                        "modified-release morphine, because the patch takes 12–24 hours to reach useful levels.</p>"
                        "<p>For breakthrough pain she needs a non-oral option. Her total oral requirement corresponds to "
                        "about 50–60 mg of subcutaneous morphine a day (a 2:1 ratio), so a rescue dose of about 5 mg "
                        "subcutaneously, one-tenth of that, repeated after an hour if needed, is appropriate. Review "
                        "daily, and increase the patch after 72 hours if she needs more than two or three rescue doses a "
                        "day. Mucositis pain may raise her requirement during radiotherapy and fall as the mucosa heals, "
                        "so keep titrating in both directions. Treat the mucositis directly with oral care and topical "
                        "anaesthetic mouthwashes, and remember that fever increases fentanyl absorption. A continuous "
                        "subcutaneous morphine infusion by syringe driver is the alternative if her pain becomes "
                        "unstable and needs faster titration.</p>"
                    ),
                ),
                key_points(
                    "Titrate immediate-release oral morphine (or an alternative) to effect, then convert the stable total to a modified-release preparation.",
                    "Rescue doses are about one-sixth to one-tenth of the 24-hour dose; review rescue use every day.",
                    "Equianalgesic ratios are approximate: reduce the new opioid by 25–50% for incomplete cross-tolerance when pain is controlled.",
                    "In severe renal impairment, avoid morphine; prefer fentanyl, alfentanil or buprenorphine, or reduced-dose oxycodone or hydromorphone.",
                    "Prescribe a laxative with every opioid, and titrate naloxone carefully in patients on long-term opioids.",
                ),
                references(
                    "Caraceni A, Hanks G, Kaasa S, et al. Use of opioid analgesics in the treatment of cancer pain: evidence-based recommendations from the EAPC. Lancet Oncol. 2012;13(2):e58-68.",
                    "Davies AN, Dickman A, Reid C, Stevens AM, Zeppetella G. The management of cancer-related breakthrough pain: recommendations of a task group of the Science Committee of the Association for Palliative Medicine of Great Britain and Ireland. Eur J Pain. 2009;13(4):331-8.",
                    ESMO_2018,
                    WHO_2018,
                ),
            ],
        },
        {
            "title": "Interventional and palliative approaches to cancer pain",
            "slug": "interventions-in-cancer-pain",
            "summary": "Radiotherapy and bone-targeted treatment, coeliac plexus neurolysis and other sympathetic blocks, intrathecal drug delivery, cordotomy, and early palliative care.",
            "estimated_minutes": 45,
            "objectives": [
                "Identify patients whose cancer pain is better treated with radiotherapy, bone-targeted agents or an interventional procedure.",
                "Describe coeliac plexus neurolysis and superior hypogastric and ganglion impar blocks, with their indications and risks.",
                "Outline the role of intrathecal drug delivery and cordotomy in refractory cancer pain.",
                "Integrate pain interventions within early, multidisciplinary palliative care.",
            ],
            "body": [
                heading("When medicines are not enough"),
                paragraph(
                    "<p>A minority of patients with cancer pain do not achieve adequate relief with well-managed "
                    "systemic analgesia, or achieve it only at the cost of unacceptable adverse effects. Radiotherapy, "
                    "interventional techniques and surgery should not be saved for the last weeks of life: many work "
                    "best while the patient is still well enough to lie prone or to travel, and an effective block can "
                    "allow large reductions in opioid dose.</p>"
                ),
                heading("Radiotherapy and bone-targeted treatment"),
                paragraph(
                    "<p>External beam radiotherapy relieves pain from bone metastases in most patients. For "
                    "uncomplicated bone metastases a single 8 Gy fraction gives pain relief equivalent to multiple "
                    "fractions, with a somewhat higher chance of needing re-treatment, and is far more convenient for "
                    "the patient. Bisphosphonates such as zoledronic acid, and denosumab, reduce skeletal-related "
                    "events in patients with bone metastases, and vertebral augmentation (vertebroplasty or "
                    "kyphoplasty) can relieve the pain of malignant vertebral compression fractures.</p>"
                ),
                heading("Neurolytic sympathetic blocks"),
                paragraph(
                    "<p>Upper abdominal visceral pain from pancreatic, gastric, biliary or hepatic cancer is transmitted "
                    "through the coeliac plexus. Coeliac plexus neurolysis, usually with absolute alcohol (or phenol), "
                    "can be performed percutaneously under CT or fluoroscopic guidance, or endoscopically under "
                    "endoscopic ultrasound guidance. In unresectable pancreatic cancer it improves pain and reduces "
                    "opioid consumption and opioid adverse effects; a randomised trial found better pain relief than "
                    "optimised systemic analgesia alone, without a significant difference in quality of life or "
                    "survival. Transient orthostatic hypotension, diarrhoea and back pain are common; rare serious "
                    "complications include paraplegia from spinal cord ischaemia and retroperitoneal haemorrhage. "
                    "Results are best when neurolysis is done relatively early, before tumour spreads beyond the "
                    "plexus.</p>"
                    "<p>The same principle applies lower down the sympathetic chain: a superior hypogastric plexus "
                    "block for pelvic visceral pain from cervical, uterine, prostatic, bladder or rectal cancers, and a "
                    "ganglion impar block for perineal pain. A diagnostic block with local anaesthetic helps predict the "
                    "response, and patients should understand that neurolysis is not permanent.</p>"
                ),
                heading("Intrathecal drug delivery and cordotomy"),
                paragraph(
                    "<p>Intrathecal drug delivery places a catheter in the intrathecal space, connected to an implanted "
                    "programmable pump or, when life expectancy is short, to an external system through a tunnelled "
                    "catheter. Because the drug is delivered close to its spinal receptors, very small doses of "
                    "morphine, often combined with bupivacaine, clonidine or ziconotide, can control pain with fewer "
                    "systemic adverse effects. In a randomised trial in refractory cancer pain, an implanted system "
                    "improved pain control and reduced drug toxicity compared with comprehensive medical "
                    "management.</p>"
                    "<p>Percutaneous cervical cordotomy interrupts the spinothalamic tract and can relieve severe "
                    "unilateral pain below the neck, classically chest-wall pain from mesothelioma. It is offered in "
                    "few specialist centres, so referral should be considered early.</p>"
                ),
                table(
                    "Matching procedure to pain (examples)",
                    [
                        ["Pain source", "Procedure to consider", "Notes"],
                        [
                            "Pancreatic or other upper abdominal visceral cancer",
                            "Coeliac plexus neurolysis (percutaneous or EUS-guided)",
                            "Earlier is better; watch for hypotension and diarrhoea",
                        ],
                        [
                            "Pelvic visceral cancer",
                            "Superior hypogastric plexus block",
                            "A diagnostic block first helps predict benefit",
                        ],
                        ["Perineal pain", "Ganglion impar block", "Also used for coccydynia"],
                        [
                            "Painful bone metastasis",
                            "Single-fraction radiotherapy; vertebral augmentation for fractures",
                            "Bone-targeted agents reduce skeletal events",
                        ],
                        [
                            "Unilateral chest-wall pain, e.g. mesothelioma",
                            "Percutaneous cervical cordotomy",
                            "Specialist centres only",
                        ],
                        [
                            "Widespread or bilateral refractory pain",
                            "Intrathecal drug delivery",
                            "Needs a team for refills and programming",
                        ],
                    ],
                ),
                heading("Palliative care from the start"),
                paragraph(
                    "<p>A landmark randomised trial in metastatic non-small-cell lung cancer showed that palliative care "
                    "integrated with oncology from diagnosis improved quality of life and mood, and was associated with "
                    "longer survival despite less aggressive care at the end of life. Pain specialists contribute best "
                    "as part of that team, with palliative physicians, oncologists, nurses, psychologists, social "
                    "workers and the family, sharing decisions about the goals of care so that every procedure serves "
                    "the patient's own priorities.</p>"
                ),
                clinical_case(
                    title="Epigastric pain in pancreatic cancer",
                    presentation=(
                        "<p>A 64-year-old man with locally advanced, unresectable adenocarcinoma of the body of the "
                        "pancreas has constant epigastric pain radiating through to his back, worse after meals and when "
                        "lying flat. Over three weeks his oral morphine requirement has risen to 180 mg a day; he is "
                        "drowsy, constipated despite laxatives and eating little. He wants to stay alert for his "
                        "daughter's wedding in six weeks. His INR and platelet count are normal, and CT shows the tumour "
                        "abutting the coeliac axis without extensive retroperitoneal spread.</p>"
                    ),
                    question="What would you offer him, and how would you explain the benefits and risks?",
                    discussion=(
                        "<p>This is visceral pain from a pancreatic tumour, and his opioid dose is now limited by adverse "
                        "effects. He is a good candidate for <b>coeliac plexus neurolysis</b>, done soon rather than as a "
                        "last resort: percutaneously under CT or fluoroscopic guidance, or under endoscopic ultrasound if "
                        "his gastroenterologists are performing an endoscopy anyway. Explain that most patients gain "
                        "meaningful relief and can reduce their opioid dose, which should help his drowsiness and "
                        "constipation; that it does not usually remove all pain; that transient low blood pressure (he "
                        "should be well hydrated and stand up slowly), diarrhoea and back pain are common; and that "
                        "serious complications, including paralysis, are rare.</p>"
                        "<p>After the block, reduce his morphine promptly but in steps: opioid toxicity can appear once "
                        "the pain that balanced it is removed, while too abrupt a reduction causes withdrawal. Keep a "
                        "rescue dose available and adjust his laxatives. Address his nutrition and mood, and agree his "
                        "priorities, including the wedding, with the palliative care team.</p>"
                    ),
                ),
                key_points(
                    "Consider interventions early, while the patient is well enough to benefit from them.",
                    "A single 8 Gy fraction relieves pain from uncomplicated bone metastases as well as multiple fractions.",
                    "Coeliac plexus neurolysis improves pancreatic cancer pain and reduces opioid requirements and their adverse effects.",
                    "Intrathecal drug delivery and cordotomy help selected patients with refractory pain in specialist centres.",
                    "Integrate pain care with early palliative care and the patient's own goals.",
                ),
                references(
                    "Wong GY, Schroeder DR, Carns PE, et al. Effect of neurolytic celiac plexus block on pain relief, quality of life, and survival in patients with unresectable pancreatic cancer: a randomized controlled trial. JAMA. 2004;291(9):1092-9.",
                    "Smith TJ, Staats PS, Deer T, et al. Randomized clinical trial of an implantable drug delivery system compared with comprehensive medical management for refractory cancer pain: impact on pain, drug-related toxicity, and survival. J Clin Oncol. 2002;20(19):4040-9.",
                    "Lutz S, Balboni T, Jones J, et al. Palliative radiation therapy for bone metastases: update of an ASTRO evidence-based guideline. Pract Radiat Oncol. 2017;7(1):4-12.",
                    "Temel JS, Greer JA, Muzikansky A, et al. Early palliative care for patients with metastatic non-small-cell lung cancer. N Engl J Med. 2010;363(8):733-42.",
                    WHO_2018,
                ),
            ],
        },
    ],
}


# The catalogue in the order editors would arrange it: the foundation course first.
COURSES = [FOUNDATIONS_COURSE, ACUTE_COURSE, CHRONIC_COURSE, CANCER_COURSE]


# --- Runs -----------------------------------------------------------------------------------

# This month and the next two, for every course.
RUN_MONTHS_AHEAD = 3
RUN_CAPACITY = 40


# --- Demo accounts (fictional people; passwords are printed by the command) -----------------

LEARNER_EMAIL = "learner@academy.example"

DEMO_ACCOUNTS = [
    {
        "role": "Learner",
        "email": LEARNER_EMAIL,
        "password": "Learner-Demo-2027",
        "first_name": "Priya",
        "last_name": "Nair",
        "is_staff": False,
        "is_superuser": False,
        # Each entry lists acceptable group names, best first; the first that exists is used.
        "groups": [],
        "profile": {
            "full_name": "Dr Priya Nair",
            "council": "KMC",
            "registration_number": "KMC-104578",
            "specialty": "anaesthesiology",
            "institution": "St Martha's Hospital",
            "city": "Bengaluru",
            "country": "IN",
        },
        "signs_in_at": "/accounts/login/",
    },
    {
        "role": "Faculty author",
        "email": "author@academy.example",
        "password": "Author-Demo-2027",
        "first_name": "Arjun",
        "last_name": "Menon",
        "is_staff": True,
        "is_superuser": False,
        "groups": [["Faculty authors", "Editors"]],
        "signs_in_at": "/admin/",
    },
    {
        "role": "Board reviewer",
        "email": "reviewer@academy.example",
        "password": "Reviewer-Demo-2027",
        "first_name": "Vikram",
        "last_name": "Sethi",
        "is_staff": True,
        "is_superuser": False,
        "groups": [["Faculty of Pain Medicine", "Moderators"]],
        "signs_in_at": "/admin/",
    },
    {
        "role": "Administrator",
        "email": "admin@academy.example",
        "password": "Admin-Demo-2027",
        "first_name": "Meena",
        "last_name": "Pillai",
        "is_staff": True,
        "is_superuser": True,
        "groups": [["Academy administrators"]],
        "signs_in_at": "/admin/",
    },
]
