"""The demo question bank and quizzes as plain data, loaded by ``python manage.py seed_demo``.

Content and mechanics are kept apart, as in :mod:`courses.demo_content`: this module only
says what the academy's demo assessments contain; :mod:`quizzes.demo` decides how they
reach the database (and refuses content that breaks the rules in
:mod:`quizzes.validation`).

Every question belongs to one course and one of its modules, and is written for doctors:
mostly single best answer items (a short clinical vignette and five options, the format
of medical examinations), with some multiple response and true/false items. Each carries
an explanation (the rationale shown at review) and, where it helps, feedback on each
choice. The regenerative therapy questions are written from the centre's own page on
regenerative therapy for joint pain (``/work/shared/seed``), in the academy's words.

Doses and ratios are teaching examples consistent with the course modules; they are to
be checked against local formularies in practice.

A question is identified in the database by its exact stem, so an editor's later changes
to a demo question's stem make the seeder treat it as a new question rather than
overwrite the edited one. Quizzes name their fixed questions by the ``key`` given here.
"""

from __future__ import annotations

from courses.demo_content import ACUTE_COURSE, CANCER_COURSE, CHRONIC_COURSE, FOUNDATIONS_COURSE

FOUNDATIONS = FOUNDATIONS_COURSE["slug"]
ACUTE = ACUTE_COURSE["slug"]
CHRONIC = CHRONIC_COURSE["slug"]
CANCER = CANCER_COURSE["slug"]


# --- Helpers: they only build plain data -------------------------------------------------


def right(text: str, feedback: str = "") -> dict:
    return {"text": text, "is_correct": True, "feedback": feedback}


def wrong(text: str, feedback: str = "") -> dict:
    return {"text": text, "is_correct": False, "feedback": feedback}


def sba(
    key: str,
    *,
    module: str,
    stem: str,
    choices: list[dict],
    explanation: str,
    tags: list[str],
    difficulty: str = "medium",
) -> dict:
    """A single best answer question."""
    return {
        "key": key,
        "kind": "single",
        "module": module,
        "stem": stem,
        "choices": choices,
        "explanation": explanation,
        "tags": tags,
        "difficulty": difficulty,
    }


def multiple_response(
    key: str,
    *,
    module: str,
    stem: str,
    choices: list[dict],
    explanation: str,
    tags: list[str],
    difficulty: str = "medium",
) -> dict:
    """A multiple response question: the learner selects every correct choice."""
    return {
        **sba(
            key,
            module=module,
            stem=stem,
            choices=choices,
            explanation=explanation,
            tags=tags,
            difficulty=difficulty,
        ),
        "kind": "multiple",
    }


def true_false(
    key: str,
    *,
    module: str,
    statement: str,
    answer: bool,
    explanation: str,
    tags: list[str],
    difficulty: str = "easy",
    if_true: str = "",
    if_false: str = "",
) -> dict:
    """A true/false question; ``if_true`` and ``if_false`` are the feedback on each choice."""
    return {
        **sba(
            key,
            module=module,
            stem=f"<p>True or false: {statement}</p>",
            choices=[
                {"text": "True", "is_correct": answer, "feedback": if_true},
                {"text": "False", "is_correct": not answer, "feedback": if_false},
            ],
            explanation=explanation,
            tags=tags,
            difficulty=difficulty,
        ),
        "kind": "true_false",
    }


def bank(course: str, track: str, *questions: dict) -> list[dict]:
    """One course's questions, each stamped with the course and the bank track."""
    return [{**question, "course": course, "track": track} for question in questions]


# --- Foundations of Pain Medicine (multidisciplinary) ------------------------------------

FOUNDATIONS_QUESTIONS = bank(
    FOUNDATIONS,
    "multidisciplinary",
    sba(
        "foundations-descending-modulation",
        module="how-pain-works",
        difficulty="easy",
        tags=["pain mechanisms"],
        stem=(
            "<p>A 24-year-old footballer sustains an undisplaced tibial fracture in the first half of a cup final. "
            "He plays on to the end of the match and reports only mild discomfort until the celebrations are over, "
            "when the pain becomes severe.</p>"
            "<p>Which mechanism best explains why he felt so little pain during the match?</p>"
        ),
        choices=[
            right(
                "Descending inhibition from the periaqueductal grey and rostral ventromedial medulla acting on the dorsal horn",
                "Correct: attention, arousal and expectation act through these pathways, using endogenous opioids, noradrenaline and serotonin.",
            ),
            wrong(
                "Peripheral sensitisation of nociceptors at the fracture site",
                "Peripheral sensitisation increases pain at the injured site (primary hyperalgesia); it does not suppress it.",
            ),
            wrong(
                "Central sensitisation with wind-up in the dorsal horn",
                "Central sensitisation amplifies signalling and would make pain worse, not better.",
            ),
            wrong(
                "Failure of transduction because C fibres are not activated by fractures",
                "Bone and periosteum are richly supplied with nociceptors; transduction is intact.",
            ),
            wrong(
                "A conversion disorder",
                "Context-dependent analgesia in injured athletes is a normal neurobiological response, not a psychiatric disorder.",
            ),
        ],
        explanation=(
            "<p>Nociception is the neural encoding of a noxious stimulus; pain is the experience, and the two often "
            "diverge. Descending pathways from the periaqueductal grey and the rostral ventromedial medulla can inhibit "
            "(or facilitate) transmission in the dorsal horn. Attention, arousal, expectation and fear act through "
            "these systems, which also underlie placebo and nocebo effects and part of the analgesic action of "
            "tricyclics and SNRIs.</p>"
        ),
    ),
    sba(
        "foundations-secondary-hyperalgesia",
        module="how-pain-works",
        tags=["pain mechanisms"],
        stem=(
            "<p>A 30-year-old cook scalded the back of her left hand two days ago. The burn is exquisitely tender. "
            "She has also noticed that lightly stroking the skin of her forearm, well beyond the burn, is painful. "
            "The forearm skin looks normal and she is afebrile.</p>"
            "<p>Which mechanism best explains the pain on light touch of the uninjured forearm?</p>"
        ),
        choices=[
            right(
                "Central sensitisation in the dorsal horn, producing secondary hyperalgesia and allodynia",
                "Correct: sustained nociceptive input increases the excitability of dorsal horn neurons, so touch beyond the injury becomes painful.",
            ),
            wrong(
                "Peripheral sensitisation of nociceptors by inflammatory mediators",
                "This explains the tenderness of the burn itself (primary hyperalgesia), not pain in normal skin beyond it.",
            ),
            wrong(
                "Spreading cellulitis",
                "The forearm skin looks normal and she is afebrile; infection would show redness, warmth and swelling.",
            ),
            wrong(
                "Strengthened descending inhibition",
                "Descending inhibition reduces pain transmission; it does not create allodynia.",
            ),
            wrong(
                "Demyelination of Aβ fibres in the forearm",
                "There is no nerve lesion here; in central sensitisation intact Aβ input is processed as painful.",
            ),
        ],
        explanation=(
            "<p>After injury, prostaglandins, bradykinin, nerve growth factor and cytokines lower nociceptor "
            "thresholds: <i>peripheral sensitisation</i> causes primary hyperalgesia at the site of injury. Sustained "
            "input drives <i>central sensitisation</i> in the dorsal horn (NMDA receptor activation, wind-up and loss of "
            "inhibition), which causes secondary hyperalgesia beyond the injured area and allodynia. In most people "
            "these changes resolve as the tissue heals.</p>"
        ),
    ),
    sba(
        "foundations-nociplastic-pain",
        module="how-pain-works",
        tags=["pain mechanisms"],
        stem=(
            "<p>A 38-year-old woman has had widespread pain for two years, with fatigue, unrefreshing sleep and "
            "difficulty concentrating. Examination shows diffuse tenderness without synovitis, joint deformity or "
            "neurological signs. Full blood count, inflammatory markers, thyroid function and creatine kinase are "
            "normal.</p>"
            "<p>Which mechanistic descriptor best fits her pain, and what does it imply for management?</p>"
        ),
        choices=[
            right(
                "Nociplastic pain: explanation, graded exercise, sleep and psychological therapy rather than escalating procedures",
                "Correct: widespread pain with fatigue and poor sleep, without a matching tissue or nerve lesion, is the pattern of nociplastic pain.",
            ),
            wrong(
                "Neuropathic pain: a gabapentinoid will be the definitive treatment",
                "There is no lesion or disease of the somatosensory nervous system and no neuroanatomical distribution.",
            ),
            wrong(
                "Nociceptive pain: MRI of the whole spine to find the pain generator",
                "Imaging without red flags or a specific lesion to look for adds incidental findings, not answers.",
            ),
            wrong(
                "Psychogenic pain: the pain is not real, so refer to psychiatry only",
                "Nociplastic pain is real pain from altered nociception; a psychological therapy is part of care, not a dismissal.",
            ),
            wrong(
                "Inflammatory nociceptive pain: start a long-term NSAID",
                "Her inflammatory markers are normal and there is no synovitis; long-term NSAIDs add harm without benefit here.",
            ),
        ],
        explanation=(
            "<p>Pain is classified by mechanism as nociceptive, neuropathic or nociplastic, and often mixed. "
            "Nociplastic pain (the IASP's third descriptor, adopted in 2017) arises from altered nociception without "
            "clear evidence of tissue damage or of a lesion of the somatosensory system; fibromyalgia is the "
            "example. A classification is useful only if it changes management: a nociplastic presentation points "
            "towards explanation, graded exercise, sleep and psychological approaches rather than more imaging or "
            "procedures.</p>"
        ),
    ),
    sba(
        "foundations-cauda-equina",
        module="early-diagnosis-and-red-flags",
        difficulty="easy",
        tags=["red flags", "low back pain"],
        stem=(
            "<p>A 45-year-old man has had low back pain for three weeks after lifting a heavy cylinder. Since "
            "yesterday the pain radiates down both legs, the skin around his anus feels numb, and since this morning "
            "he has had difficulty starting his urine stream. Power in the legs is normal.</p>"
            "<p>What is the most appropriate next step?</p>"
        ),
        choices=[
            right(
                "Emergency MRI of the lumbar spine and same-day referral to the spinal surgical team",
                "Correct: bilateral sciatica, saddle numbness and new bladder symptoms are suspected cauda equina syndrome until MRI says otherwise.",
            ),
            wrong(
                "Physiotherapy and review in two weeks",
                "Delay risks progression to painless urinary retention, after which outcomes are worse.",
            ),
            wrong(
                "A lumbar epidural steroid injection for the leg pain",
                "Any intervention must wait until serious pathology has been excluded.",
            ),
            wrong(
                "Plain radiographs of the lumbar spine",
                "Radiographs cannot show compression of the cauda equina; MRI is the test.",
            ),
            wrong(
                "Start pregabalin and review in one week",
                "Treating the symptom while the nerve roots are compressed wastes the time in which decompression helps.",
            ),
        ],
        explanation=(
            "<p>Red flags prompt targeted action. Back pain with bilateral sciatica, saddle anaesthesia, or new bladder, "
            "bowel or sexual dysfunction must be treated as cauda equina syndrome: emergency MRI and same-day spinal "
            "surgical referral, because the outcome depends on decompression before urinary retention develops.</p>"
        ),
    ),
    multiple_response(
        "foundations-metastasis-red-flags",
        module="early-diagnosis-and-red-flags",
        tags=["red flags", "low back pain"],
        stem=(
            "<p>A 66-year-old woman presents with back pain of six weeks' duration.</p>"
            "<p>Which of the following features in her history should raise suspicion of spinal metastasis? "
            "Select all that apply.</p>"
        ),
        choices=[
            right(
                "Treatment for breast cancer five years ago",
                "A history of cancer is the strongest single red flag for spinal metastasis.",
            ),
            right(
                "Unintended weight loss of 6 kg over three months",
                "Unexplained weight loss suggests systemic disease.",
            ),
            right(
                "Pain at night and at rest that disturbs her sleep",
                "Non-mechanical night and rest pain is a red flag.",
            ),
            wrong(
                "The pain began after she lifted a suitcase and eases when she lies down",
                "A mechanical onset and relief on lying down point away from malignancy.",
            ),
            wrong(
                "Morning stiffness that lasts ten minutes",
                "Brief morning stiffness is common in mechanical back pain; prolonged stiffness (over 30 minutes) suggests inflammatory disease.",
            ),
        ],
        explanation=(
            "<p>Warning features of spinal metastasis include a history of cancer, unexplained weight loss, night or "
            "rest pain, thoracic pain and age over 50. Individually most red flags have low specificity; their value "
            "lies in prompting targeted examination and investigation. Suspected metastasis or cord compression needs "
            "urgent whole-spine MRI and a call to the oncology team.</p>"
        ),
    ),
    sba(
        "foundations-yellow-flags",
        module="early-diagnosis-and-red-flags",
        tags=["yellow flags", "low back pain"],
        stem=(
            "<p>A 34-year-old warehouse worker has had low back pain for four weeks after a day of heavy lifting. "
            "There are no red flags and the neurological examination is normal. He believes his “spine is "
            "crumbling”, has stopped bending altogether, is off work, and sleeps poorly. He asks for an MRI scan.</p>"
            "<p>What is the most appropriate next step?</p>"
        ),
        choices=[
            right(
                "Explain the benign nature of his pain, stratify his risk (for example with the STarT Back tool) and, if high risk, refer for psychologically informed physiotherapy",
                "Correct: his fear-avoidance and catastrophic beliefs are the strongest predictors of disability, and they are treatable.",
            ),
            wrong(
                "Request an MRI scan to reassure him",
                "Routine imaging without red flags does not improve outcomes, and incidental findings can increase his fear.",
            ),
            wrong(
                "Advise bed rest until the pain settles",
                "Rest and avoidance reinforce fear-avoidance and delay recovery.",
            ),
            wrong(
                "Refer for lumbar facet joint injections",
                "There is no identified pain generator, and procedures do not address the factors driving his disability.",
            ),
            wrong(
                "Prescribe a strong opioid so that he can return to work",
                "Strong opioids have no place in the early management of non-specific back pain and add risk.",
            ),
        ],
        explanation=(
            "<p>The best predictors of long-term disability are psychosocial: the belief that pain means harm, "
            "fear-avoidance, catastrophising, low mood, passive coping and problems at work (the “yellow flags”). "
            "Identify them early (the STarT Back tool takes a few minutes) and address them alongside the physical "
            "diagnosis. Reassure with explanation rather than with imaging.</p>"
        ),
    ),
    sba(
        "foundations-crps-management",
        module="early-diagnosis-and-red-flags",
        tags=["CRPS"],
        stem=(
            "<p>A 47-year-old bank manager had a distal radius fracture treated in a cast for six weeks. Two weeks "
            "after its removal she has severe burning pain throughout the hand and cannot bear her sleeve touching "
            "the skin. The hand is swollen, mottled, warmer and sweatier than the other, and finger flexion is "
            "markedly reduced. Radiographs show a healing fracture in good position. She meets the Budapest "
            "criteria for complex regional pain syndrome.</p>"
            "<p>Which plan is most appropriate?</p>"
        ),
        choices=[
            right(
                "Urgent hand therapy for desensitisation, oedema control and graded use, with analgesia that makes movement possible",
                "Correct: function-focused rehabilitation started early gives the best chance of recovery.",
            ),
            wrong(
                "Re-apply the cast for four weeks to rest the hand",
                "Prolonged immobilisation worsens CRPS; movement is part of the treatment.",
            ),
            wrong(
                "Defer treatment until a triple-phase bone scan confirms the diagnosis",
                "CRPS is a clinical diagnosis; waiting for a test loses the early window for rehabilitation.",
            ),
            wrong(
                "Refer for surgical sympathectomy",
                "Sympathectomy has no place in early CRPS.",
            ),
            wrong(
                "Reassure her that it will resolve and review in three months",
                "Patients who are not improving within weeks should be referred to a specialist pain service, not left waiting.",
            ),
        ],
        explanation=(
            "<p>Early diagnosis of CRPS matters. Treatment centred on restoring function (hand or physiotherapy with "
            "desensitisation and graded use, graded motor imagery or mirror therapy, analgesia that makes movement "
            "possible, and psychological support) gives the best chance of recovery. Explain the diagnosis positively, "
            "avoid immobilisation, and refer patients who are not improving within weeks to a pain service.</p>"
        ),
    ),
    true_false(
        "foundations-budapest-criteria",
        module="early-diagnosis-and-red-flags",
        tags=["CRPS"],
        statement=(
            "A diagnosis of complex regional pain syndrome by the Budapest criteria requires a positive "
            "triple-phase bone scan."
        ),
        answer=False,
        if_true="No: the Budapest criteria are clinical. No investigation is required to make the diagnosis.",
        if_false="Correct: the diagnosis rests on symptoms, signs and the absence of a better explanation.",
        explanation=(
            "<p>The Budapest criteria are continuing pain disproportionate to the inciting event; at least one "
            "<i>symptom</i> in three of four categories (sensory, vasomotor, sudomotor/oedema, motor/trophic); at "
            "least one <i>sign</i> at examination in two or more categories; and no other diagnosis that better "
            "explains them. Investigations are used to exclude other diagnoses, not to confirm CRPS.</p>"
        ),
    ),
    sba(
        "foundations-outcome-measures",
        module="multidisciplinary-pain-management",
        tags=["multidisciplinary care", "outcome measures"],
        stem=(
            "<p>After a 12-week multidisciplinary pain management programme, a 50-year-old woman with chronic low back "
            "pain still rates her average pain 7/10, as she did at the start. She now walks to the market every day and "
            "has returned to part-time work, and her Brief Pain Inventory interference score has fallen by 40%.</p>"
            "<p>How should the team interpret this outcome?</p>"
        ),
        choices=[
            right(
                "A clinically important improvement in function; continue to build on the programme's approach",
                "Correct: a gain in function she values, here a 40% fall in interference, is a meaningful outcome even without a change in pain score.",
            ),
            wrong(
                "Treatment failure, because the pain score is unchanged; increase her opioid",
                "Goals should be about living well rather than a number; escalating opioids adds harm without benefit.",
            ),
            wrong(
                "Treatment failure; refer her for spinal cord stimulation",
                "She has improved in the outcomes that matter to her; there is no indication for an implant.",
            ),
            wrong(
                "The Brief Pain Inventory is not valid in chronic pain; rely on the pain score alone",
                "The BPI is a validated measure of pain severity and interference.",
            ),
            wrong(
                "A placebo response that will not last",
                "Gains from psychologically informed rehabilitation reflect changes in behaviour and coping, not a transient placebo effect.",
            ),
        ],
        explanation=(
            "<p>What is measured shapes what is done. Alongside pain intensity, record function and impact with "
            "validated patient-reported measures such as the Brief Pain Inventory, the Oswestry Disability Index or "
            "WOMAC, and mood screening. A reduction of about 30% in pain, or a gain in function the patient values, "
            "is clinically important. Psychological therapies reduce disability and distress more than pain "
            "intensity, which is why goals should be about function.</p>"
        ),
    ),
    sba(
        "foundations-opioid-taper",
        module="multidisciplinary-pain-management",
        difficulty="hard",
        tags=["opioid stewardship"],
        stem=(
            "<p>A 52-year-old man with chronic non-specific low back pain has taken modified-release morphine 90 mg "
            "twice daily for three years. His pain scores are unchanged from before he started. He reports low mood, "
            "low libido and a fall last month, and he agrees that the morphine is no longer helping.</p>"
            "<p>What is the most appropriate plan?</p>"
        ),
        choices=[
            right(
                "Agree a gradual taper with him, reducing a small proportion of the dose at a time, with support for mood, sleep and withdrawal symptoms and regular review",
                "Correct: tapering is done with the patient, not to him, and more slowly after years of use.",
            ),
            wrong(
                "Stop the morphine today",
                "Abrupt cessation risks withdrawal, uncontrolled pain, psychological crisis and a turn to illicit opioids.",
            ),
            wrong(
                "Switch to an equivalent dose of transdermal fentanyl",
                "Changing the opioid does not address the lack of benefit or the harms of a high dose.",
            ),
            wrong(
                "Increase the dose to 120 mg twice daily",
                "Harms rise with dose while benefit does not, especially above about 120 mg oral morphine equivalent a day.",
            ),
            wrong(
                "Add pregabalin and diazepam to improve his pain and sleep",
                "Gabapentinoids and benzodiazepines with opioids greatly increase the risk of respiratory depression and overdose.",
            ),
        ],
        explanation=(
            "<p>Long-term opioids for chronic non-cancer pain bring limited benefit for most patients and "
            "substantial harm: dependence, opioid-induced hyperalgesia, endocrine suppression (his low libido), falls "
            "and overdose. The Faculty of Pain Medicine's <i>Opioids Aware</i> notes that harms increase "
            "substantially above about 120 mg oral morphine equivalent a day without added benefit; he takes 180 mg. "
            "When benefit is lacking, taper gradually and collaboratively, supporting mood, sleep and withdrawal "
            "symptoms, and never stop abruptly.</p>"
        ),
    ),
    multiple_response(
        "foundations-biopsychosocial-plan",
        module="multidisciplinary-pain-management",
        tags=["multidisciplinary care"],
        stem=(
            "<p>You are planning care for a 44-year-old teacher with chronic low back pain who has stopped exercising "
            "and fears that bending will damage her spine.</p>"
            "<p>Which of the following belong in a multidisciplinary, biopsychosocial management plan? Select all "
            "that apply.</p>"
        ),
        choices=[
            right(
                "Graded activity or exercise led by a physiotherapist", "Graded exercise is a core component."
            ),
            right(
                "Pain education that presents pain as a protective output of the nervous system rather than a measure of damage",
                "Education addresses her belief that bending causes harm.",
            ),
            right(
                "Cognitive behavioural therapy or acceptance and commitment therapy",
                "Psychological therapies reduce disability and distress.",
            ),
            right(
                "Specific, measurable goals agreed with her, such as returning to full-time teaching",
                "Plans are built around the patient's own goals, not the pain score.",
            ),
            wrong(
                "Referral to several specialists in turn, each managing their own part separately",
                "Sequential, uncoordinated referral is exactly what multidisciplinary care replaces: one team, shared goals.",
            ),
            wrong(
                "Repeat MRI every six months to monitor the disc degeneration",
                "Serial imaging does not guide management of non-specific back pain and can reinforce fear.",
            ),
        ],
        explanation=(
            "<p>Multidisciplinary pain management means coordinated care from clinicians of different disciplines "
            "working to shared goals, not simply referral to several specialists in turn. Start with the patient's "
            "goals, make them measurable, and combine education, graded activity, pacing, sleep, mood, medicines and "
            "any procedure in one plan agreed with the patient.</p>"
        ),
    ),
)


# --- Acute Pain Management ---------------------------------------------------------------

ACUTE_QUESTIONS = bank(
    ACUTE,
    "acute",
    sba(
        "acute-iasp-definition",
        module="assessing-acute-pain",
        difficulty="easy",
        tags=["pain assessment"],
        stem=(
            "<p>In 2020 the International Association for the Study of Pain revised its definition of pain for the "
            "first time since 1979.</p>"
            "<p>Which change matters most for neonates, people with advanced dementia and intubated patients?</p>"
        ),
        choices=[
            right(
                "Pain no longer depends on a person's ability to describe it in words",
                "Correct: verbal description is only one of several behaviours that express pain.",
            ),
            wrong(
                "Pain now requires evidence of actual tissue damage",
                "The definition includes experiences associated with, or resembling those associated with, actual or potential damage.",
            ),
            wrong(
                "Pain is defined as the activity of nociceptors",
                "The notes stress that pain and nociception are different phenomena.",
            ),
            wrong(
                "Only self-report can establish that pain is present",
                "The opposite: inability to communicate does not mean absence of pain.",
            ),
            wrong(
                "Pain lasting more than three months is no longer classified as pain",
                "Duration defines chronic pain; it does not remove it from the definition.",
            ),
        ],
        explanation=(
            "<p>Pain is “an unpleasant sensory and emotional experience associated with, or resembling that associated "
            "with, actual or potential tissue damage”. The revision no longer depends on a patient being able to "
            "describe pain, which places neonates, people with advanced dementia and intubated patients firmly within "
            "the definition. A person's report of pain should be respected.</p>"
        ),
    ),
    sba(
        "acute-flacc",
        module="assessing-acute-pain",
        difficulty="easy",
        tags=["pain assessment", "paediatrics"],
        stem=(
            "<p>A 2-year-old boy is in the recovery room after an inguinal hernia repair. He is crying and drawing up "
            "his legs, and the nurse wants to record a pain score.</p>"
            "<p>Which assessment tool is most appropriate?</p>"
        ),
        choices=[
            right(
                "FLACC (face, legs, activity, cry, consolability)",
                "Correct: a behavioural scale validated from 2 months to 7 years.",
            ),
            wrong("The 0–10 numerical rating scale", "A 2-year-old cannot self-report with numbers."),
            wrong(
                "The Wong–Baker FACES scale",
                "Faces scales are self-report tools for children from about 3 years.",
            ),
            wrong("PAINAD", "PAINAD is designed for adults with advanced dementia."),
            wrong(
                "The Critical-care Pain Observation Tool (CPOT)",
                "CPOT is for ventilated or critically ill adults.",
            ),
        ],
        explanation=(
            "<p>When self-report is impossible, use a validated behavioural tool: FLACC for young children after "
            "surgery, PAINAD in advanced dementia, CPOT or the Behavioral Pain Scale in ventilated adults. Behavioural "
            "scores indicate the presence of pain behaviour rather than its intensity, so treat a raised score as a "
            "prompt for an analgesic trial followed by reassessment.</p>"
        ),
    ),
    sba(
        "acute-sedation-before-respiratory-rate",
        module="assessing-acute-pain",
        tags=["pain assessment", "opioid safety"],
        stem=(
            "<p>A 68-year-old man is using intravenous morphine patient-controlled analgesia on the first night after "
            "a laparotomy. He reports pain of 6/10 on coughing. His respiratory rate is 12/min and SpO₂ 97% on "
            "4 L/min of oxygen by mask. While the nurse is speaking to him he falls asleep mid-sentence.</p>"
            "<p>What is the most appropriate immediate action?</p>"
        ),
        choices=[
            right(
                "Withhold further opioid, stimulate and monitor him closely, and ask for urgent medical review, with naloxone ready if ventilation is inadequate",
                "Correct: drifting off mid-conversation is unacceptable sedation, whatever the pain score.",
            ),
            wrong(
                "Give an additional 2 mg morphine bolus because his pain is 6/10",
                "More opioid in a patient who is frequently drowsy risks respiratory arrest.",
            ),
            wrong(
                "Reassure the nurse because the respiratory rate and saturation are normal",
                "A falling respiratory rate is a late sign, and supplemental oxygen makes pulse oximetry falsely reassuring.",
            ),
            wrong(
                "Add a background morphine infusion so that he can sleep comfortably",
                "Background infusions increase respiratory depression without improving analgesia in opioid-naive patients.",
            ),
            wrong(
                "Ask his wife to press the PCA button for him while he sleeps",
                "PCA by proxy defeats the safety principle that a sedated patient stops pressing.",
            ),
        ],
        explanation=(
            "<p>Opioid-induced ventilatory impairment is usually preceded by increasing sedation. A falling respiratory "
            "rate is a late sign, and pulse oximetry can be falsely reassuring in a patient breathing supplemental "
            "oxygen. On scales such as the Pasero Opioid-induced Sedation Scale, a patient who is frequently drowsy "
            "and drifts off mid-conversation should receive no more opioid until reviewed.</p>"
        ),
    ),
    sba(
        "acute-paracetamol-low-weight",
        module="multimodal-analgesia",
        tags=["multimodal analgesia", "paracetamol"],
        stem=(
            "<p>A 78-year-old woman weighing 42 kg is admitted with a fractured pubic ramus. She eats well, drinks "
            "little alcohol and has normal liver function.</p>"
            "<p>Which paracetamol regimen is most appropriate?</p>"
        ),
        choices=[
            right(
                "About 15 mg/kg (600 mg) orally every 6 hours",
                "Correct: adults under 50 kg need a weight-based dose.",
            ),
            wrong("1 g orally every 6 hours", "This is the usual adult dose, but she weighs under 50 kg."),
            wrong("1 g orally every 4 hours", "Six doses of 1 g exceed the adult maximum of 4 g a day."),
            wrong(
                "1 g intravenously every 6 hours, because it works better than oral",
                "Intravenous paracetamol offers no analgesic advantage in a patient who can swallow and absorb, and the dose is still too high for her weight.",
            ),
            wrong(
                "Avoid paracetamol because of her age",
                "Paracetamol is a safe foundation of analgesia in older people at the right dose.",
            ),
        ],
        explanation=(
            "<p>Give paracetamol regularly rather than as required. The usual adult dose is 1 g every six hours to a "
            "maximum of 4 g a day; in adults under 50 kg use a weight-based dose (commonly 15 mg/kg), and lower the "
            "daily maximum in hepatic impairment, chronic alcohol excess, malnutrition or dehydration.</p>"
        ),
    ),
    true_false(
        "acute-modified-release-opioids",
        module="multimodal-analgesia",
        tags=["multimodal analgesia", "opioid safety"],
        statement=(
            "Modified-release oral opioids are an appropriate first choice for acute postoperative pain in "
            "opioid-naive patients."
        ),
        answer=False,
        if_true="No: modified-release opioids cannot be titrated quickly and have been associated with respiratory depression.",
        if_false="Correct: use immediate-release opioids titrated to effect for the shortest time.",
        explanation=(
            "<p>For moderate to severe acute pain that persists despite paracetamol, an NSAID and a local anaesthetic "
            "technique, an immediate-release oral opioid titrated to effect is preferred. Modified-release opioids "
            "should not be used to manage acute pain in opioid-naive patients. Plan the stop date when you start.</p>"
        ),
    ),
    multiple_response(
        "acute-nsaid-cautions",
        module="multimodal-analgesia",
        tags=["multimodal analgesia", "NSAIDs"],
        stem=(
            "<p>You are writing a postoperative analgesic plan and considering a short course of ibuprofen.</p>"
            "<p>Which of the following are reasons to avoid an NSAID? Select all that apply.</p>"
        ),
        choices=[
            right(
                "An eGFR of 25 mL/min/1.73 m²", "Significant renal impairment is a reason to avoid NSAIDs."
            ),
            right(
                "A gastrointestinal bleed from a duodenal ulcer last year",
                "Previous GI bleeding is a strong reason to avoid them.",
            ),
            right(
                "Asthma that has worsened after aspirin in the past",
                "NSAID-exacerbated respiratory disease is a contraindication.",
            ),
            right(
                "Hypovolaemia from ongoing surgical drain losses",
                "NSAIDs in hypovolaemia precipitate acute kidney injury.",
            ),
            wrong(
                "Age 35 years with normal renal function",
                "Young, healthy patients are the group in whom NSAIDs are safest.",
            ),
            wrong(
                "Regular paracetamol already prescribed",
                "Paracetamol and an NSAID together are the foundation of multimodal analgesia.",
            ),
        ],
        explanation=(
            "<p>Before prescribing an NSAID or COX-2 inhibitor, check renal function, volume status, gastrointestinal "
            "history, cardiovascular risk, anticoagulant use and any history of NSAID-exacerbated asthma. Use the "
            "lowest effective dose for a short course, add a proton pump inhibitor when gastrointestinal risk is "
            "raised, and avoid them in significant renal impairment or hypovolaemia.</p>"
        ),
    ),
    sba(
        "acute-perioperative-gabapentinoids",
        module="multimodal-analgesia",
        tags=["multimodal analgesia", "gabapentinoids"],
        stem=(
            "<p>Your hospital's order set for total knee arthroplasty gives every patient pregabalin 150 mg before "
            "surgery and twice daily for five days afterwards, together with paracetamol, an NSAID, a local "
            "anaesthetic technique and rescue oxycodone.</p>"
            "<p>Which comment on the pregabalin is best supported by the evidence?</p>"
        ),
        choices=[
            right(
                "Remove it: routine perioperative gabapentinoids give no clinically important analgesic benefit and add dizziness, visual disturbance and, with opioids, respiratory depression",
                "Correct: meta-analyses no longer support routine use.",
            ),
            wrong(
                "Keep it: it prevents chronic postsurgical pain in most patients",
                "Trials have not shown a reliable preventive effect on persistent postsurgical pain.",
            ),
            wrong(
                "Double the dose to 300 mg for greater benefit",
                "Higher doses add adverse effects, not analgesia.",
            ),
            wrong(
                "Replace it with modified-release oxycodone",
                "Modified-release opioids should not be used for acute pain in opioid-naive patients.",
            ),
            wrong(
                "Keep it instead of paracetamol, which is less safe",
                "Regular paracetamol is the safe foundation of the regimen.",
            ),
        ],
        explanation=(
            "<p>Routine perioperative gabapentinoids are no longer recommended: meta-analyses show no clinically "
            "important analgesic benefit, while they add dizziness, visual disturbance and, combined with opioids, a "
            "risk of respiratory depression. More drugs are not automatically better in a multimodal regimen: each "
            "brings its own adverse effects and interactions.</p>"
        ),
    ),
    sba(
        "acute-bupivacaine-maximum",
        module="regional-anaesthesia-and-safety",
        difficulty="hard",
        tags=["regional anaesthesia", "local anaesthetic toxicity"],
        stem=(
            "<p>You plan a wound infiltration and a fascial plane block with plain bupivacaine 0.25% for a fit "
            "70 kg adult.</p>"
            "<p>Using the commonly quoted maximum single dose, what is the largest volume you should give in total?</p>"
        ),
        choices=[
            right(
                "56 mL",
                "Correct: 2 mg/kg × 70 kg = 140 mg; 0.25% is 2.5 mg/mL, so 140 ÷ 2.5 = 56 mL.",
            ),
            wrong("28 mL", "This is the maximum volume of 0.5% bupivacaine (5 mg/mL), not 0.25%."),
            wrong("112 mL", "This doubles the maximum dose (4 mg/kg)."),
            wrong("196 mL", "This uses 7 mg/kg, the maximum for lidocaine with adrenaline, not bupivacaine."),
            wrong("84 mL", "This uses 3 mg/kg, the maximum quoted for ropivacaine or plain lidocaine."),
        ],
        explanation=(
            "<p>Calculate the maximum local anaesthetic dose for every patient before the block. The commonly quoted "
            "maximum single dose of bupivacaine is 2 mg/kg (140 mg at 70 kg); a 0.25% solution contains 2.5 mg/mL. "
            "These limits are a guide only: reduce them for frail patients and highly vascular sites, and count every "
            "local anaesthetic given, including intravenous lidocaine.</p>"
        ),
    ),
    sba(
        "acute-last-lipid-emulsion",
        module="regional-anaesthesia-and-safety",
        tags=["regional anaesthesia", "local anaesthetic toxicity"],
        stem=(
            "<p>Two minutes after a supraclavicular brachial plexus block with 30 mL of 0.5% ropivacaine, a 55 kg "
            "woman becomes agitated, reports a metallic taste and tinnitus, and then has a generalised seizure. You "
            "stop injecting, call for help, give 100% oxygen and a benzodiazepine.</p>"
            "<p>What is the most important specific treatment to give now?</p>"
        ),
        choices=[
            right(
                "20% lipid emulsion: an initial bolus of about 1.5 mL/kg followed by an infusion",
                "Correct: give lipid early, following the ASRA checklist or the Association of Anaesthetists guideline.",
            ),
            wrong(
                "Intravenous sodium bicarbonate",
                "Bicarbonate is not the specific treatment for local anaesthetic toxicity.",
            ),
            wrong("Naloxone 400 micrograms", "Naloxone reverses opioids, not local anaesthetics."),
            wrong(
                "Propofol, as a source of lipid",
                "Propofol contains too little lipid to help and worsens cardiovascular depression.",
            ),
            wrong(
                "Intravenous lidocaine to prevent ventricular arrhythmias",
                "Never give more local anaesthetic: it adds to the toxicity. Amiodarone is the antiarrhythmic to use.",
            ),
        ],
        explanation=(
            "<p>Local anaesthetic systemic toxicity begins with perioral tingling, metallic taste, tinnitus, agitation "
            "and confusion and may progress to seizures and cardiovascular collapse. Stop injecting, call for help, "
            "maintain the airway with 100% oxygen, treat seizures with a benzodiazepine and give 20% lipid emulsion "
            "early (an initial bolus of about 1.5 mL/kg followed by an infusion). Keep lipid emulsion wherever blocks "
            "are performed.</p>"
        ),
    ),
    sba(
        "acute-hip-fracture-block",
        module="regional-anaesthesia-and-safety",
        tags=["regional anaesthesia", "older people"],
        stem=(
            "<p>An 84-year-old woman with moderate Alzheimer's disease has a displaced intracapsular fracture of the "
            "left femoral neck. She has chronic kidney disease (eGFR 38 mL/min/1.73 m²) and takes apixaban for atrial "
            "fibrillation. After 2 mg of intravenous morphine she is drowsy yet still grimaces and calls out when "
            "moved; her PAINAD score during transfer is 8/10. Surgery is planned for tomorrow.</p>"
            "<p>Which analgesic plan is most appropriate until surgery?</p>"
        ),
        choices=[
            right(
                "An ultrasound-guided fascia iliaca compartment block with a calculated dose of a long-acting local anaesthetic, plus regular paracetamol",
                "Correct: analgesia on movement without sedation, and a fascial plane block is not precluded by apixaban as neuraxial techniques are.",
            ),
            wrong(
                "Regular ibuprofen 400 mg every 8 hours",
                "NSAIDs are unsafe with her renal impairment and anticoagulation.",
            ),
            wrong(
                "A lumbar epidural catheter tonight",
                "Neuraxial techniques must respect the recommended interval after the last dose of apixaban.",
            ),
            wrong(
                "Regular intramuscular morphine 10 mg every 4 hours",
                "She is already drowsy after 2 mg; regular large doses in a frail patient with renal impairment are dangerous.",
            ),
            wrong(
                "No further analgesia until surgery, so that delirium is not masked",
                "Untreated pain itself contributes to delirium; her PAINAD score shows severe pain.",
            ),
        ],
        explanation=(
            "<p>Regional techniques give the best analgesia on movement. A fascia iliaca compartment block for hip "
            "fracture improves pain on movement and may reduce delirium. Add regular paracetamol (weight-adjusted under "
            "50 kg), avoid NSAIDs with renal impairment and anticoagulation, reserve small titrated opioid doses for "
            "breakthrough pain, and reassess with PAINAD during movement.</p>"
        ),
    ),
    sba(
        "acute-pca-programme",
        module="regional-anaesthesia-and-safety",
        difficulty="easy",
        tags=["patient-controlled analgesia", "opioid safety"],
        stem=(
            "<p>An opioid-naive 60-year-old woman is starting intravenous morphine patient-controlled analgesia after "
            "an open hysterectomy.</p>"
            "<p>Which programme is a safe standard starting point?</p>"
        ),
        choices=[
            right(
                "1 mg bolus, 5-minute lockout, no background infusion",
                "Correct: the typical adult morphine programme.",
            ),
            wrong(
                "1 mg bolus, 5-minute lockout, background infusion of 2 mg/hour",
                "Background infusions increase respiratory depression without improving analgesia in opioid-naive patients.",
            ),
            wrong(
                "5 mg bolus, 1-minute lockout",
                "Large boluses with a short lockout do not give each dose time to act.",
            ),
            wrong(
                "0.1 mg bolus, 60-minute lockout",
                "Doses this small and infrequent will not control her pain.",
            ),
            wrong(
                "1 mg bolus, 5-minute lockout, with her husband pressing the button while she sleeps",
                "Only the patient should press the button; PCA by proxy defeats its safety.",
            ),
        ],
        explanation=(
            "<p>Intravenous PCA lets the patient titrate small opioid boluses within safe limits. A typical adult "
            "morphine programme is a 1 mg bolus with a 5-minute lockout and no background infusion. Monitor pain, "
            "sedation and respiratory rate, prescribe an antiemetic and naloxone, and convert to oral analgesia as "
            "soon as the patient is eating and drinking.</p>"
        ),
    ),
    true_false(
        "acute-epidural-motor-block",
        module="regional-anaesthesia-and-safety",
        tags=["regional anaesthesia", "epidural analgesia"],
        statement=(
            "A new, dense or progressive motor block during a postoperative epidural infusion should be treated as an "
            "epidural haematoma or abscess until proven otherwise."
        ),
        answer=True,
        if_true="Correct: stop the infusion, assess urgently and arrange emergency imaging.",
        if_false="No: outcome after spinal cord compression depends on rapid decompression, so it must be assumed and excluded.",
        explanation=(
            "<p>Thoracic epidural analgesia needs an organised service: frequent observations, regular assessment of "
            "sensory and motor block, a protocol for hypotension, and strict timing of anticoagulants. A new, dense "
            "or progressive motor block during an epidural infusion needs urgent assessment and imaging.</p>"
        ),
    ),
)


# --- Chronic Musculoskeletal Pain and Regenerative Interventions -------------------------

REGENERATIVE = "regenerative-therapy-for-joint-pain"

CHRONIC_QUESTIONS = bank(
    CHRONIC,
    "chronic",
    sba(
        "chronic-icd11-secondary-pain",
        module="mechanisms-of-chronic-pain",
        tags=["chronic pain mechanisms"],
        stem=(
            "<p>The ICD-11 classification of chronic pain separates chronic primary pain from chronic secondary pain "
            "syndromes.</p>"
            "<p>Which of the following is a chronic <i>secondary</i> pain?</p>"
        ),
        choices=[
            right(
                "Pain persisting for a year after a thoracotomy",
                "Correct: chronic postsurgical pain begins as a symptom of another event (surgery).",
            ),
            wrong("Fibromyalgia", "Fibromyalgia is chronic widespread pain, a chronic primary pain."),
            wrong("Chronic primary low back pain", "As its name says, this is a chronic primary pain."),
            wrong("Irritable bowel syndrome", "ICD-11 classifies it as chronic primary visceral pain."),
            wrong(
                "Chronic widespread pain with distress and disability not explained by another condition",
                "This is the definition of a chronic primary pain.",
            ),
        ],
        explanation=(
            "<p>Chronic pain persists or recurs for more than three months. <b>Chronic primary pain</b> is associated "
            "with significant emotional distress or functional disability and is not better accounted for by another "
            "condition. <b>Chronic secondary pain</b> syndromes begin as a symptom of another disease: cancer, surgery "
            "or trauma, neuropathy, headache, and visceral or musculoskeletal disease. In secondary pain, treating the "
            "underlying disease is central.</p>"
        ),
    ),
    sba(
        "chronic-ng193-antidepressant",
        module="mechanisms-of-chronic-pain",
        difficulty="hard",
        tags=["chronic pain mechanisms", "NICE NG193"],
        stem=(
            "<p>A 40-year-old woman has fibromyalgia, with widespread pain, poor sleep and low mood for three years. "
            "She takes no regular medicines. She is starting a supervised group exercise programme and asks whether a "
            "medicine could help as well.</p>"
            "<p>According to NICE guideline NG193 on chronic primary pain, which medicine may be considered?</p>"
        ),
        choices=[
            right(
                "Duloxetine, after discussing its possible benefits and harms",
                "Correct: NG193 allows a trial of an antidepressant (amitriptyline, citalopram, duloxetine, fluoxetine, paroxetine or sertraline).",
            ),
            wrong("Pregabalin", "NG193 advises against starting gabapentinoids for chronic primary pain."),
            wrong(
                "Regular paracetamol", "NG193 advises against starting paracetamol for chronic primary pain."
            ),
            wrong("Tramadol", "NG193 advises against starting opioids for chronic primary pain."),
            wrong(
                "Trigger point injections of local anaesthetic and corticosteroid",
                "NG193 advises against these injections for chronic primary pain.",
            ),
        ],
        explanation=(
            "<p>NICE NG193 (2021) recommends supervised group exercise, psychological therapy (ACT or CBT), "
            "acupuncture in defined circumstances and, for adults, a trial of an antidepressant. It advises against "
            "starting paracetamol, NSAIDs, opioids, antiepileptic drugs including gabapentinoids, benzodiazepines, "
            "antipsychotics, ketamine, or local anaesthetic and corticosteroid trigger point injections for chronic "
            "primary pain. It does not govern chronic secondary pain such as osteoarthritis.</p>"
        ),
    ),
    sba(
        "chronic-neupsig-grading",
        module="neuropathic-pain",
        tags=["neuropathic pain"],
        stem=(
            "<p>A 58-year-old man with type 2 diabetes has had burning pain and pins and needles in both feet for "
            "eight months. Pinprick and vibration sense are reduced to the mid-shins, ankle reflexes are absent, and "
            "there is allodynia over the dorsum of both feet. His DN4 score is 7/10. Nerve conduction studies have "
            "not been done.</p>"
            "<p>How should his neuropathic pain be graded using the NeuPSIG system?</p>"
        ),
        choices=[
            right(
                "Probable neuropathic pain",
                "Correct: a plausible history and distribution, with sensory signs in that distribution.",
            ),
            wrong(
                "Possible neuropathic pain",
                "He has more than history and distribution: examination shows sensory signs.",
            ),
            wrong(
                "Definite neuropathic pain",
                "Definite requires a diagnostic test (nerve conduction studies, skin biopsy or imaging) confirming the lesion.",
            ),
            wrong("Unlikely neuropathic pain", "History, distribution and signs all point to a neuropathy."),
            wrong(
                "Ungradable until nerve conduction studies are done",
                "Grading does not wait for tests, and treatment need not be delayed.",
            ),
        ],
        explanation=(
            "<p>Pain is <i>possible</i> neuropathic pain when the history and distribution fit; <i>probable</i> when "
            "examination shows negative or positive sensory signs in the territory of the lesioned nerve structure; "
            "and <i>definite</i> when a diagnostic test confirms the lesion or disease. A DN4 score of 4 or more "
            "suggests a neuropathic component but supports rather than replaces examination. Always look for a "
            "treatable cause, such as vitamin B12 deficiency in a patient taking metformin.</p>"
        ),
    ),
    sba(
        "chronic-trigeminal-neuralgia",
        module="neuropathic-pain",
        difficulty="easy",
        tags=["neuropathic pain"],
        stem=(
            "<p>A 62-year-old woman has had paroxysms of electric-shock-like pain in the right cheek and lower jaw "
            "for two months. Each lasts a few seconds and is triggered by chewing, talking or brushing her teeth. "
            "Neurological examination between attacks is normal.</p>"
            "<p>Which medicine is the first-line treatment?</p>"
        ),
        choices=[
            right("Carbamazepine", "Correct: carbamazepine is first-line for trigeminal neuralgia."),
            wrong(
                "Amitriptyline",
                "A first-line agent for most neuropathic pain, but not for trigeminal neuralgia.",
            ),
            wrong("Pregabalin", "Gabapentinoids are not first-line for trigeminal neuralgia."),
            wrong("Duloxetine", "An SNRI for other neuropathic pain; not first-line here."),
            wrong(
                "Modified-release morphine",
                "Opioids are ineffective for the paroxysms of trigeminal neuralgia.",
            ),
        ],
        explanation=(
            "<p>Trigeminal neuralgia is the exception to the usual first-line rules for neuropathic pain (a tricyclic, "
            "an SNRI or a gabapentinoid): carbamazepine is its first-line treatment. Arrange MRI to look for a "
            "secondary cause, such as a tumour or multiple sclerosis, and refer patients who do not respond or cannot "
            "tolerate treatment to a specialist.</p>"
        ),
    ),
    sba(
        "chronic-postherpetic-lidocaine",
        module="neuropathic-pain",
        tags=["neuropathic pain", "topical treatment"],
        stem=(
            "<p>An 80-year-old woman has had burning pain and allodynia in a band over the right lower chest (T6 "
            "dermatome) for five months since shingles. She has fallen twice this year, has chronic kidney disease "
            "(eGFR 35 mL/min/1.73 m²) and takes eight other medicines.</p>"
            "<p>Which treatment is most appropriate to start?</p>"
        ),
        choices=[
            right(
                "A 5% lidocaine medicated plaster applied to the painful area",
                "Correct: topical treatment suits localised peripheral neuropathic pain and avoids systemic effects.",
            ),
            wrong(
                "Amitriptyline 50 mg at night",
                "Anticholinergic effects and sedation would raise her risk of falls and confusion.",
            ),
            wrong(
                "Pregabalin 300 mg twice daily",
                "Too high for her renal function, and sedating in a patient who falls.",
            ),
            wrong(
                "Tramadol 50 mg four times daily",
                "Tramadol brings seizure, serotonergic and dependence risks and has little place in long-term care.",
            ),
            wrong("Modified-release oxycodone", "Strong opioids are third-line at best in neuropathic pain."),
        ],
        explanation=(
            "<p>For localised peripheral neuropathic pain, topical treatments avoid systemic adverse effects: 5% "
            "lidocaine plasters, for example in post-herpetic neuralgia, and the high-concentration (8%) capsaicin "
            "patch applied in clinic. They are especially attractive in frail older patients with falls, renal "
            "impairment or polypharmacy.</p>"
        ),
    ),
    multiple_response(
        "chronic-neuropathic-first-line",
        module="neuropathic-pain",
        tags=["neuropathic pain"],
        stem="<p>Which of the following are first-line medicines for most neuropathic pain in adults? Select all that apply.</p>",
        choices=[
            right(
                "Amitriptyline",
                "A tricyclic: first-line, with the lowest number needed to treat but the most adverse effects.",
            ),
            right("Duloxetine", "An SNRI: first-line."),
            right("Gabapentin", "A gabapentinoid: first-line."),
            right("Pregabalin", "A gabapentinoid: first-line."),
            wrong(
                "Tramadol",
                "Tramadol has some efficacy but is not first-line; NICE limits it to acute rescue.",
            ),
            wrong(
                "Oxycodone",
                "Strong opioids are third-line at best, given weak long-term evidence and substantial harm.",
            ),
        ],
        explanation=(
            "<p>Systematic reviews support tricyclic antidepressants, SNRIs (principally duloxetine) and the "
            "gabapentinoids as first-line treatment for most neuropathic pain. If one fails or is not tolerated, "
            "switch to another first-line drug, or combine two at lower doses, before moving down the list.</p>"
        ),
    ),
    sba(
        "chronic-facet-rfa-selection",
        module="interventions-for-spinal-and-joint-pain",
        tags=["spinal interventions"],
        stem=(
            "<p>You are selecting patients for lumbar medial branch radiofrequency ablation.</p>"
            "<p>Which patient is the most suitable candidate?</p>"
        ),
        choices=[
            right(
                "A 62-year-old with axial low back pain worse on extension, no radicular features, and substantial (at least 50%) relief after a diagnostic medial branch block",
                "Correct: selection rests on a positive prognostic block.",
            ),
            wrong(
                "A 35-year-old with acute sciatica from an L5/S1 disc herniation",
                "Radicular pain from a disc is not mediated by the medial branches.",
            ),
            wrong(
                "A 70-year-old with neurogenic claudication from central canal stenosis",
                "Facet denervation does not treat claudication from stenosis.",
            ),
            wrong(
                "A 55-year-old with axial back pain whose MRI shows facet arthropathy, without a diagnostic block",
                "No imaging finding is diagnostic of facet pain; a block must come first.",
            ),
            wrong(
                "A 40-year-old with fibromyalgia and widespread pain including the low back",
                "Peripheral procedures alone disappoint in nociplastic, widespread pain.",
            ),
        ],
        explanation=(
            "<p>Lumbar facet pain is typically axial back pain, often worse on extension and rotation, without "
            "radicular features; no single sign or imaging finding is diagnostic. Because single blocks give false "
            "positives, patients are selected for ablation only after a prognostic medial branch block gives "
            "substantial relief (consensus guidelines suggest at least 50%). In well-selected patients relief "
            "commonly lasts 6 to 12 months and the procedure can be repeated.</p>"
        ),
    ),
    sba(
        "chronic-transforaminal-safety",
        module="interventions-for-spinal-and-joint-pain",
        difficulty="hard",
        tags=["spinal interventions"],
        stem=(
            "<p>A 45-year-old man with acute, severe L5 radicular pain from a disc herniation is booked for a lumbar "
            "transforaminal epidural steroid injection.</p>"
            "<p>Which measure most reduces the risk of catastrophic spinal cord infarction?</p>"
        ),
        choices=[
            right(
                "Using a non-particulate steroid such as dexamethasone, after confirming needle position with real-time contrast imaging",
                "Correct: infarction has followed inadvertent injection of particulate steroid into a radicular artery.",
            ),
            wrong(
                "Using methylprednisolone acetate because it lasts longer",
                "Particulate steroids are the ones linked to embolic infarction.",
            ),
            wrong(
                "Injecting quickly to reduce the time the needle is in place",
                "Inject slowly, and never against resistance.",
            ),
            wrong(
                "Performing the injection by landmarks, without fluoroscopy",
                "Image guidance with contrast is the standard for every spinal procedure.",
            ),
            wrong(
                "Giving a larger volume of steroid to improve spread",
                "Volume does not address the embolic mechanism.",
            ),
        ],
        explanation=(
            "<p>Transforaminal injection delivers the drug close to the inflamed nerve root but has been linked to "
            "rare spinal cord and brain infarction after inadvertent injection of particulate steroid into a radicular "
            "or vertebral artery. Use a non-particulate steroid such as dexamethasone, confirm needle position with "
            "real-time contrast imaging (digital subtraction where available) and never inject against resistance.</p>"
        ),
    ),
    # Regenerative therapy: written from the centre's own page on PRP, prolotherapy and stem cells.
    sba(
        "regenerative-sessions-arthritis",
        module=REGENERATIVE,
        difficulty="easy",
        tags=["regenerative therapy", "PRP", "osteoarthritis"],
        stem=(
            "<p>A 56-year-old schoolteacher with Kellgren–Lawrence grade 2 medial knee osteoarthritis is already "
            "following a strengthening programme and chooses platelet-rich plasma (PRP) therapy.</p>"
            "<p>How many PRP sessions would typically be planned for her knee?</p>"
        ),
        choices=[
            right(
                "Three sessions, a few weeks apart",
                "Correct: for wear-and-tear conditions such as arthritis, three PRP or prolotherapy sessions are typical.",
            ),
            wrong(
                "A single session",
                "One session is typical for stem cell therapy in arthritis, or for PRP in a tendon or ligament problem.",
            ),
            wrong("Weekly injections for twelve weeks", "This is not a recognised PRP course."),
            wrong(
                "Two sessions, a year apart",
                "Repeat injections can extend benefit, but the initial course is three sessions a few weeks apart.",
            ),
            wrong(
                "Monthly injections indefinitely",
                "Regenerative therapy is a defined course, combined with rehabilitation.",
            ),
        ],
        explanation=(
            "<p>The number of sessions depends on the region and the degree of injury. For wear-and-tear conditions "
            "such as knee osteoarthritis, one session of stem cell (cell-based) therapy or three sessions of PRP or "
            "prolotherapy, a few weeks apart, are typical. For a ligament or tendon problem, a single session may be "
            "enough.</p>"
        ),
    ),
    sba(
        "regenerative-sessions-tendon",
        module=REGENERATIVE,
        tags=["regenerative therapy", "PRP", "tendinopathy"],
        stem=(
            "<p>A 34-year-old badminton player has had lateral elbow pain for eight months. Ultrasound confirms common "
            "extensor tendinopathy without a full-thickness tear. Four months of progressive loading exercises have "
            "helped only partly, and he opts for an ultrasound-guided PRP injection.</p>"
            "<p>What should you tell him about the number of sessions?</p>"
        ),
        choices=[
            right(
                "A single session may be enough for a tendon problem; whether more are needed depends on his response",
                "Correct: tendon and ligament problems often need only one session.",
            ),
            wrong(
                "Three sessions are always needed, as for arthritis",
                "Three sessions are typical for arthritis; a tendon problem may need only one.",
            ),
            wrong("A stem cell injection must come first, followed by PRP", "There is no such sequence."),
            wrong(
                "Injections weekly until he is pain-free",
                "Repeated injections without review are not a recognised course.",
            ),
            wrong(
                "Five sessions, because tendons heal more slowly than joints",
                "Tendon problems usually need fewer sessions, not more.",
            ),
        ],
        explanation=(
            "<p>Session counts depend on the condition and the degree of injury or tear: usually one session of stem "
            "cell therapy or three sessions of PRP or prolotherapy for arthritis, whereas a single session may suffice "
            "for ligament or tendon problems. He should continue his loading programme: the injection creates the "
            "conditions for healing, and progressive loading remodels the tendon.</p>"
        ),
    ),
    multiple_response(
        "regenerative-procedure-setting",
        module=REGENERATIVE,
        tags=["regenerative therapy", "PRP", "prolotherapy", "stem cells"],
        stem=(
            "<p>A patient asks what having a regenerative injection (PRP, prolotherapy or stem cells) involves.</p>"
            "<p>Which statements are correct? Select all that apply.</p>"
        ),
        choices=[
            right(
                "It is usually a day-care procedure; hospital admission is not needed",
                "Correct: patients go home the same day.",
            ),
            right(
                "PRP and prolotherapy injections are usually given under local anaesthetic",
                "Correct: general anaesthesia is not needed.",
            ),
            right(
                "The needle is guided with ultrasound, fluoroscopy (real-time X-ray) or both",
                "Correct: image guidance lets the clinician see where the needle is going.",
            ),
            wrong(
                "General anaesthesia is routinely needed for an intra-articular injection",
                "Local anaesthetic is enough; the approved allogeneic knee product needs no anaesthesia at all.",
            ),
            wrong(
                "Landmark-guided injections are as accurate as image-guided ones in large joints such as the knee",
                "Landmark-guided injections miss their target more often, even in large joints.",
            ),
        ],
        explanation=(
            "<p>Regenerative injections are day-care procedures performed under local anaesthetic. They should be given "
            "under image guidance (ultrasound, fluoroscopy or both) so that the injectate is placed precisely in the "
            "damaged tissue or joint. Image guidance improves accuracy and the chance of benefit, makes the procedure "
            "more comfortable and helps avoid complications such as injection into a vessel or nerve.</p>"
        ),
    ),
    sba(
        "regenerative-side-effects",
        module=REGENERATIVE,
        difficulty="easy",
        tags=["regenerative therapy", "PRP", "side effects"],
        stem=(
            "<p>Two days after an ultrasound-guided PRP injection into her knee, a 60-year-old woman telephones because "
            "the knee is swollen and tender and there is a bruise at the injection site. She is afebrile, can bear "
            "weight, and has no spreading redness.</p>"
            "<p>What is the most appropriate advice?</p>"
        ),
        choices=[
            right(
                "These are common effects of any injection and settle within a few days to a week; use ice and paracetamol, and call back if fever, spreading redness or worsening pain develops",
                "Correct: swelling, bruising and tenderness are the commonest side effects and are self-limiting.",
            ),
            wrong(
                "Take ibuprofen 400 mg three times a day for a week",
                "NSAIDs are best avoided in the first weeks after PRP, because they may blunt platelet function.",
            ),
            wrong(
                "Come in today for urgent aspiration of the knee",
                "There are no features of infection; she needs safety-netting, not aspiration.",
            ),
            wrong(
                "This is an allergic reaction to the PRP; take an antihistamine",
                "PRP is prepared from her own blood; allergy to it is not the explanation.",
            ),
            wrong(
                "The treatment has failed; you will list her for knee replacement",
                "Benefit takes weeks to appear; two days tells you nothing about success.",
            ),
        ],
        explanation=(
            "<p>The common side effects of regenerative injections are those of any injection: swelling, bruising and "
            "tenderness at the injection site, sometimes with a flare of pain for two or three days. They resolve "
            "within a few days to a week. Paracetamol and ice are usually enough; NSAIDs are best avoided after PRP. "
            "Serious complications are rare when a trained specialist uses aseptic technique and image guidance.</p>"
        ),
    ),
    sba(
        "regenerative-timeline",
        module=REGENERATIVE,
        tags=["regenerative therapy", "PRP", "stem cells", "rehabilitation"],
        stem=(
            "<p>A 58-year-old man with knee osteoarthritis is booked for a regenerative injection and asks what to "
            "expect afterwards.</p>"
            "<p>Which description of the usual course is most accurate?</p>"
        ),
        choices=[
            right(
                "First improvement within a few weeks, repair over a couple of months, and benefit lasting a year or longer, longer still with physiotherapy and rehabilitation",
                "Correct: this is the typical timeline, and rehabilitation extends it.",
            ),
            wrong(
                "Full relief within 24 hours, as after a corticosteroid injection",
                "Regenerative injections work through repair, which takes weeks; early soreness is common.",
            ),
            wrong(
                "No change for twelve months, then sudden improvement",
                "Most people notice initial improvement within a few weeks.",
            ),
            wrong(
                "Benefit lasting about two weeks",
                "For joint conditions benefit commonly lasts a year or longer.",
            ),
            wrong(
                "A permanent cure of the arthritis after one injection",
                "No injection reverses established arthritis; further injections can be given to extend benefit.",
            ),
        ],
        explanation=(
            "<p>Most patients notice initial improvement within a few weeks; the repair process inside a joint takes "
            "longer, typically a couple of months. For joint conditions benefit commonly lasts a year or longer, and "
            "can last considerably longer when the injection is combined with physiotherapy, exercise and "
            "rehabilitation. How long it lasts depends on the site, the extent of the injury, and the patient's health "
            "and activity level.</p>"
        ),
    ),
    sba(
        "regenerative-stemone-approval",
        module=REGENERATIVE,
        tags=["regenerative therapy", "stem cells", "regulation in India"],
        stem=(
            "<p>In September 2022 the Drugs Controller General of India (DCGI) approved a cell-therapy product for knee "
            "osteoarthritis.</p>"
            "<p>Which statement about this approval is correct?</p>"
        ),
        choices=[
            right(
                "StemOne, an allogeneic cell-therapy product, was approved, given as a single intra-articular injection in an outpatient procedure",
                "Correct: it was the first allogeneic cell-therapy product approved for commercial use in India for knee OA.",
            ),
            wrong(
                "An autologous bone marrow stem cell kit was approved for repeated injections",
                "The approved product is allogeneic (from a donor) and given once.",
            ),
            wrong(
                "PRP was approved as a prescription drug",
                "PRP is prepared from the patient's own blood and is not regulated as a drug.",
            ),
            wrong(
                "Dextrose prolotherapy was approved as a licensed treatment for knee osteoarthritis",
                "Prolotherapy uses licensed solutions such as dextrose off-label; it was not the product approved.",
            ),
            wrong(
                "An allogeneic product was approved that requires general anaesthesia and hospital admission",
                "StemOne is given in an outpatient procedure with no anaesthesia requirement.",
            ),
        ],
        explanation=(
            "<p>The Government of India has actively promoted research in regenerative medicine, and cell- and stem "
            "cell–derived products are regulated as new drugs. In September 2022 the DCGI approved <b>StemOne</b>, an "
            "allogeneic cell-therapy product, for knee osteoarthritis: the first allogeneic cell-therapy product "
            "approved for commercial use in India for this indication. It is given as a single intra-articular "
            "injection in an outpatient procedure that needs no anaesthesia.</p>"
        ),
    ),
    true_false(
        "regenerative-prp-regulation",
        module=REGENERATIVE,
        difficulty="medium",
        tags=["regenerative therapy", "PRP", "regulation in India"],
        statement=(
            "Because platelet-rich plasma is prepared from the patient's own blood, it is not regulated as a drug by "
            "the DCGI or the US FDA, although the equipment used to prepare it needs regulatory clearance."
        ),
        answer=True,
        if_true="Correct: PRP is autologous and not a drug, but the preparation systems are regulated as medical devices.",
        if_false="It is true: there are no drug rules for preparing or giving PRP, but its preparation equipment must be cleared (by the FDA in the United States).",
        explanation=(
            "<p>PRP (growth factor concentrate) is derived from the patient's own blood and is therefore not "
            "regulated as a drug: neither the DCGI nor the FDA has rules for preparing PRP or giving the therapy. The "
            "equipment used to prepare it is regulated as a medical device. Use approved systems and record the "
            "preparation method, because platelet and leucocyte concentrations vary widely between systems.</p>"
        ),
    ),
    sba(
        "regenerative-unapproved-stem-cells",
        module=REGENERATIVE,
        difficulty="hard",
        tags=["regenerative therapy", "stem cells", "regulation in India"],
        stem=(
            "<p>A private clinic advertises injections of culture-expanded mesenchymal stem cells for knee "
            "osteoarthritis. The product has no DCGI approval and the injections are not part of an approved clinical "
            "trial. Patients sign a consent form and pay a large fee.</p>"
            "<p>What is the regulatory position in India?</p>"
        ),
        choices=[
            right(
                "It is not permitted: stem cell–derived products are regulated as new drugs, and outside approved products or approved trials the national guidelines treat their use in patients as malpractice",
                "Correct: cell therapy must use an approved product such as StemOne, or take place within an approved trial.",
            ),
            wrong(
                "It is permitted because the patients have given written consent",
                "Consent does not make the use of an unapproved product lawful.",
            ),
            wrong(
                "It is permitted because, like PRP, cell therapies are not regulated as drugs",
                "PRP escapes drug regulation because it is prepared from the patient's own blood; stem cell–derived products are regulated as new drugs.",
            ),
            wrong(
                "It is permitted as long as the injections are image-guided",
                "Image guidance is good practice, but it does not bear on the product's regulatory status.",
            ),
            wrong(
                "It is permitted as long as it is done as a day-care procedure",
                "The setting of the procedure has no bearing on whether the product may be used.",
            ),
        ],
        explanation=(
            "<p>Cell- and stem cell–derived products are regulated as new drugs under the New Drugs and Clinical "
            "Trials Rules, 2019. Outside approved products (such as StemOne for knee osteoarthritis) and approved "
            "clinical trials, the national guidelines for stem cell research treat the use of stem cells in patients "
            "as malpractice. Patients asking for “stem cells” deserve an honest account of what is approved and what "
            "the evidence shows.</p>"
        ),
    ),
    sba(
        "regenerative-candidate-selection",
        module=REGENERATIVE,
        tags=["regenerative therapy", "patient selection", "osteoarthritis"],
        stem=(
            "<p>Several patients ask about regenerative therapy at your clinic.</p>"
            "<p>Which of them is the most suitable candidate?</p>"
        ),
        choices=[
            right(
                "A 52-year-old with Kellgren–Lawrence grade 2 knee osteoarthritis, a good range of movement, and a commitment to an exercise programme",
                "Correct: early to moderate osteoarthritis in a motivated patient is the typical indication.",
            ),
            wrong(
                "A 74-year-old with grade 4 osteoarthritis, a fixed varus deformity and a 20° flexion contracture",
                "Advanced arthritis with deformity is better served by surgery.",
            ),
            wrong(
                "A 30-year-old with a complete rupture of the Achilles tendon",
                "Complete tendon ruptures need surgical or structured non-operative management, not an injection.",
            ),
            wrong(
                "A 45-year-old whose knee locks because of a displaced bucket-handle meniscal tear",
                "Mechanical locking needs arthroscopic treatment.",
            ),
            wrong(
                "A 65-year-old with a hot, swollen knee and a fever",
                "Suspected septic arthritis must be aspirated and treated; active infection is a contraindication.",
            ),
        ],
        explanation=(
            "<p>The choice of regenerative treatment depends on the nature of the condition, the location of pain, the "
            "degree of injury or tear, and the patient's other medical conditions. Usual candidates have chronic pain "
            "and dysfunction from degeneration or injury: early to moderate knee osteoarthritis, chronic "
            "tendinopathies, ligament sprains and some cartilage injuries. Advanced arthritis with deformity, "
            "complete tendon ruptures and mechanical locking are generally better served by surgery.</p>"
        ),
    ),
    multiple_response(
        "regenerative-contraindications",
        module=REGENERATIVE,
        tags=["regenerative therapy", "PRP", "patient selection"],
        stem=(
            "<p>You are assessing a patient for a PRP injection into the knee.</p>"
            "<p>Which findings are contraindications or reasons to defer the injection? Select all that apply.</p>"
        ),
        choices=[
            right("Cellulitis of the skin over the knee", "Active infection is a contraindication."),
            right(
                "A platelet count of 60 × 10⁹/L",
                "Thrombocytopenia and other haematological disorders are relative contraindications.",
            ),
            right("Pregnancy", "Pregnancy is a relative contraindication."),
            right(
                "Treatment with warfarin",
                "Anticoagulation is a relative contraindication, to be planned around.",
            ),
            wrong("Well-controlled hypertension", "This does not affect the procedure."),
            wrong(
                "Age over 50 years",
                "Most patients with knee osteoarthritis are over 50; age alone is no contraindication.",
            ),
        ],
        explanation=(
            "<p>Evaluation comes first: history, examination, imaging, and a review of comorbidities and medicines. "
            "Relative contraindications include active infection, malignancy, thrombocytopenia and other haematological "
            "disorders, anticoagulation and pregnancy. Poorly controlled diabetes and smoking reduce the response, and "
            "patients are asked to avoid NSAIDs around PRP treatment.</p>"
        ),
    ),
    sba(
        "regenerative-prolotherapy-mechanism",
        module=REGENERATIVE,
        tags=["regenerative therapy", "prolotherapy"],
        stem=(
            "<p>A 48-year-old woman with chronic pain at the medial collateral ligament of the knee is offered "
            "dextrose prolotherapy.</p>"
            "<p>How is prolotherapy thought to work?</p>"
        ),
        choices=[
            right(
                "An irritant solution, usually hypertonic dextrose, provokes a controlled inflammatory and proliferative healing response",
                "Correct, and it is why a flare of pain for a few days is common afterwards.",
            ),
            wrong(
                "Platelet growth factors from her own blood stimulate repair",
                "That is how platelet-rich plasma is thought to work.",
            ),
            wrong(
                "Mesenchymal stromal cells release signalling molecules that support repair",
                "That is how cell-based (stem cell) therapy is thought to work.",
            ),
            wrong(
                "It suppresses inflammation, like a corticosteroid injection",
                "Prolotherapy deliberately provokes inflammation rather than suppressing it.",
            ),
            wrong("It lubricates the joint, like hyaluronic acid", "Prolotherapy is not a viscosupplement."),
        ],
        explanation=(
            "<p>Three families of regenerative treatment are used for arthritis and sports injuries. <b>Stem cell "
            "therapy</b> delivers mesenchymal stromal cells; <b>PRP</b> concentrates the patient's platelets, whose "
            "granules release growth factors such as PDGF, TGF-β and VEGF; <b>prolotherapy</b> injects an irritant "
            "solution, most often hypertonic dextrose, at ligament and tendon attachments or into a joint, provoking a "
            "controlled inflammatory and proliferative healing response. The idea is the same: promote healing rather "
            "than suppress inflammation.</p>"
        ),
    ),
    sba(
        "regenerative-evidence-counselling",
        module=REGENERATIVE,
        difficulty="hard",
        tags=["regenerative therapy", "PRP", "stem cells", "evidence"],
        stem=(
            "<p>A 56-year-old woman with moderate knee osteoarthritis asks whether PRP or stem cells will definitely "
            "let her avoid a knee replacement.</p>"
            "<p>Which answer best reflects the evidence?</p>"
        ),
        choices=[
            right(
                "The evidence is mixed: some trials show better pain and function, but a large placebo-controlled PRP trial found no difference from saline at 12 months; it is one option within exercise and weight management, with no guarantee",
                "Correct: present it honestly, with its variable response and cost.",
            ),
            wrong(
                "PRP regrows cartilage and reliably prevents knee replacement",
                "No injection reverses established arthritis or guarantees that arthroplasty will be avoided.",
            ),
            wrong(
                "PRP has been proven ineffective and must never be offered",
                "Several trials and meta-analyses report benefit; the evidence is evolving, not settled.",
            ),
            wrong(
                "The 2019 American College of Rheumatology guideline strongly recommends PRP and stem cells for knee osteoarthritis",
                "The ACR guideline recommends against them, citing heterogeneous preparations and uncertain evidence.",
            ),
            wrong(
                "Stem cells are proven to work in every patient, so cost is the only consideration",
                "Late-phase data for cell therapy are limited and long-term evidence is awaited.",
            ),
        ],
        explanation=(
            "<p>Several trials and meta-analyses report that intra-articular PRP improves pain and function in knee "
            "osteoarthritis, yet the placebo-controlled RESTORE trial (2021) found no difference from saline in pain or "
            "cartilage volume at 12 months, and the 2019 ACR guideline recommends against PRP and stem cell injections "
            "for osteoarthritis. Offer regenerative therapy as one option within weight management, exercise and "
            "rehabilitation, with a clear account of variable response, out-of-pocket cost (most insurers do not cover "
            "it) and the need for longer-term evidence.</p>"
        ),
    ),
    sba(
        "regenerative-sports-injuries",
        module=REGENERATIVE,
        tags=["regenerative therapy", "PRP", "sports injuries"],
        stem=(
            "<p>A 26-year-old state-level sprinter has chronic patellar tendinopathy. His coach suggests a "
            "corticosteroid injection so that he can compete in three weeks.</p>"
            "<p>Which statement best supports considering a regenerative injection with rehabilitation instead?</p>"
        ),
        choices=[
            right(
                "Corticosteroid injections give short-term relief in tendinopathy but can worsen longer-term outcomes, whereas a regenerative injection needs only a short recovery before daily activities resume",
                "Correct: evidence has accumulated against the habitual steroid injection in tendinopathy.",
            ),
            wrong(
                "A regenerative injection guarantees a return to competition within one week",
                "Improvement takes weeks and needs rehabilitation; nothing guarantees a return date.",
            ),
            wrong(
                "Regenerative injections replace the need for a rehabilitation programme",
                "Rehabilitation is not optional: progressive loading remodels the tendon.",
            ),
            wrong(
                "Corticosteroids are banned in all athletes, whereas regenerative injections are always permitted",
                "Anti-doping rules are specific and change; check the current rules for competitive athletes.",
            ),
            wrong(
                "A regenerative injection works fastest when combined with a steroid in the same syringe",
                "Steroids suppress the healing response that regenerative injections aim to stimulate.",
            ),
        ],
        explanation=(
            "<p>Sports injuries often involve tendon, ligament and cartilage, tissues with a limited blood supply. "
            "Corticosteroid injections give short-term relief in tendinopathy but can worsen longer-term outcomes. "
            "Regenerative injections combined with comprehensive rehabilitation may get the most out of non-surgical "
            "treatment, and most patients return to daily activities within days, which suits athletes who cannot "
            "afford long absences. Check current anti-doping rules for competitive athletes.</p>"
        ),
    ),
)


# --- Cancer Pain -------------------------------------------------------------------------

CANCER_QUESTIONS = bank(
    CANCER,
    "cancer",
    sba(
        "cancer-spinal-cord-compression",
        module="assessing-cancer-pain",
        tags=["cancer pain assessment", "red flags"],
        stem=(
            "<p>A 63-year-old man with metastatic prostate cancer has had new thoracic back pain for two weeks. It is "
            "band-like around his chest, worse when lying flat and on coughing, and wakes him at night. Power, "
            "sensation and reflexes in his legs are normal, and he has no sphincter disturbance.</p>"
            "<p>What is the most appropriate next step?</p>"
        ),
        choices=[
            right(
                "Urgent MRI of the whole spine and a same-day discussion with the oncology team",
                "Correct: suspect impending metastatic spinal cord compression before neurological signs appear.",
            ),
            wrong(
                "Start an NSAID and review in four weeks",
                "This delays the diagnosis while the cord is at risk.",
            ),
            wrong(
                "Wait for weakness or a sensory level before arranging imaging",
                "By the time weakness appears, the outcome is worse.",
            ),
            wrong(
                "A plain thoracic spine radiograph, with reassurance if it is normal",
                "Radiographs miss many metastases and cannot show the cord.",
            ),
            wrong(
                "Refer for a thoracic epidural steroid injection",
                "Serious pathology must be excluded before any procedure.",
            ),
        ],
        explanation=(
            "<p>New or worsening back pain in a patient with cancer, especially if thoracic, band-like, worse on lying "
            "flat, coughing or straining, or disturbing sleep, must raise suspicion of spinal metastases and impending "
            "metastatic spinal cord compression. Do not wait for neurological signs. Arrange urgent whole-spine MRI "
            "and contact the oncology team the same day; corticosteroids, radiotherapy or surgery follow from the "
            "findings.</p>"
        ),
    ),
    true_false(
        "cancer-who-2018",
        module="assessing-cancer-pain",
        tags=["cancer pain assessment", "WHO guidelines"],
        statement=(
            "The WHO 2018 guidelines require patients with cancer pain to pass through a weak opioid step before a "
            "strong opioid may be started."
        ),
        answer=False,
        if_true="No: the 2018 guidelines no longer present a rigid stepwise protocol.",
        if_false="Correct: treatment starts with paracetamol, an NSAID or an opioid, alone or combined, according to assessment and severity.",
        explanation=(
            "<p>The WHO ladder (1986) transformed cancer pain care, and its principles endure: by mouth, by the clock, "
            "for the individual, with attention to detail. But the weak-opioid step adds a ceiling effect and "
            "pharmacogenetic variability, and low-dose oral morphine relieves moderate cancer pain better than a weak "
            "opioid. The WHO 2018 guidelines therefore recommend starting with paracetamol, an NSAID or an opioid "
            "according to clinical assessment and pain severity.</p>"
        ),
    ),
    sba(
        "cancer-total-pain",
        module="assessing-cancer-pain",
        difficulty="easy",
        tags=["cancer pain assessment", "palliative care"],
        stem=(
            "<p>A 50-year-old woman with metastatic breast cancer reports that her pain keeps getting worse despite two "
            "increases in her morphine dose. She is tearful, sleeps poorly, cannot pay her children's school fees since "
            "stopping work, and asks “why is God punishing me?”.</p>"
            "<p>Which concept should frame the next assessment?</p>"
        ),
        choices=[
            right(
                "Total pain: physical, psychological, social and spiritual suffering that can all magnify pain",
                "Correct: none of her fears, money worries or low mood will respond to more morphine.",
            ),
            wrong("End-of-dose failure", "Nothing suggests pain returning before each scheduled dose."),
            wrong(
                "Incident breakthrough pain",
                "Her pain is not described as triggered by movement or activity.",
            ),
            wrong(
                "Opioid tolerance requiring a switch of opioid",
                "Escalating opioids will not address the non-physical dimensions of her suffering.",
            ),
            wrong(
                "Nociplastic pain",
                "Her pain has a clear nociceptive source; the issue is the breadth of her suffering.",
            ),
        ],
        explanation=(
            "<p>Cicely Saunders' concept of <i>total pain</i> reminds us that suffering has physical, psychological, "
            "social and spiritual dimensions. Fear of dying, worry about the family's finances or depression can all "
            "magnify pain and its impact, and none of them respond to opioids. Assess each pain together with "
            "function, mood, sleep, understanding of the illness and goals, with the palliative care team.</p>"
        ),
    ),
    sba(
        "cancer-titration-to-modified-release",
        module="opioids-in-cancer-pain",
        tags=["opioids", "titration"],
        stem=(
            "<p>A 60-year-old man with metastatic colorectal cancer was started on immediate-release oral morphine "
            "10 mg every four hours. Over the last 24 hours he also needed four rescue doses of 10 mg, which worked "
            "well without excessive drowsiness. His pain is now controlled and his requirement has been stable for two "
            "days.</p>"
            "<p>Which regimen is most appropriate now?</p>"
        ),
        choices=[
            right(
                "Modified-release morphine 50 mg twice daily, with immediate-release morphine 10–15 mg as needed",
                "Correct: 60 mg regular + 40 mg rescue = 100 mg a day, split into two doses, with a rescue dose of one-sixth to one-tenth.",
            ),
            wrong(
                "Modified-release morphine 30 mg twice daily, with immediate-release morphine 10 mg as needed",
                "This counts only the regular doses and ignores the 40 mg of rescue doses he needed.",
            ),
            wrong("Modified-release morphine 100 mg twice daily", "This doubles his 24-hour requirement."),
            wrong(
                "Modified-release morphine 50 mg once daily",
                "Twice-daily preparations given once daily leave half the day uncovered.",
            ),
            wrong(
                "Transdermal fentanyl 100 micrograms/hour",
                "This corresponds to roughly 240 mg of oral morphine a day, far above his requirement.",
            ),
        ],
        explanation=(
            "<p>Add up the total taken in 24 hours, including rescue doses, and adjust the regular dose. Once the "
            "requirement is stable, convert to a modified-release preparation and keep the immediate-release form for "
            "breakthrough pain. Rescue doses are usually one-sixth to one-tenth of the 24-hour dose (here 10–17 mg); a "
            "patient needing more than two or three a day needs a review of the regular dose.</p>"
        ),
    ),
    sba(
        "cancer-renal-opioid-choice",
        module="opioids-in-cancer-pain",
        difficulty="hard",
        tags=["opioids", "renal impairment"],
        stem=(
            "<p>A 72-year-old woman with metastatic lung cancer takes modified-release morphine 60 mg twice daily. Over "
            "three days she has become drowsy and confused, with hallucinations and myoclonic jerks. Her eGFR has "
            "fallen from 55 to 22 mL/min/1.73 m². Her respiratory rate is 14/min.</p>"
            "<p>What is the most appropriate management of her opioid?</p>"
        ),
        choices=[
            right(
                "Stop the morphine and switch to an opioid less dependent on renal excretion, such as fentanyl or alfentanil, at a reduced equivalent dose, with hydration and close review",
                "Correct: she has opioid-induced neurotoxicity from accumulating morphine metabolites.",
            ),
            wrong(
                "Increase the morphine, because confusion may reflect uncontrolled pain",
                "More morphine will worsen the neurotoxicity.",
            ),
            wrong(
                "Give naloxone 2 mg intravenously to reverse the morphine completely",
                "She is breathing adequately; full reversal would cause severe pain and withdrawal.",
            ),
            wrong(
                "Switch to codeine, a weaker opioid",
                "Codeine's metabolites also accumulate in renal impairment, and its effect depends on CYP2D6 metabolism.",
            ),
            wrong(
                "Continue the same daily dose as a once-daily modified-release preparation",
                "The problem is accumulation of renally excreted metabolites, not the timing of doses.",
            ),
        ],
        explanation=(
            "<p>Morphine-6-glucuronide and morphine-3-glucuronide accumulate in renal impairment and can cause "
            "prolonged sedation, myoclonus, hallucinations and respiratory depression. With an eGFR below about 30, "
            "prefer an opioid less dependent on renal excretion (fentanyl, alfentanil or buprenorphine), or use "
            "oxycodone or hydromorphone cautiously at reduced dose and frequency. Opioid-induced neurotoxicity also "
            "calls for hydration and a search for precipitants such as infection or interacting drugs.</p>"
        ),
    ),
    sba(
        "cancer-oxycodone-conversion",
        module="opioids-in-cancer-pain",
        difficulty="hard",
        tags=["opioids", "opioid conversion"],
        stem=(
            "<p>A 55-year-old man with pancreatic cancer takes modified-release oral morphine 60 mg twice daily. His "
            "pain is well controlled but he has troublesome nausea and vivid dreams, and you decide to switch to oral "
            "oxycodone.</p>"
            "<p>Using a morphine-to-oxycodone ratio of about 1.5–2:1 and allowing for incomplete cross-tolerance, which "
            "regimen is the most appropriate starting point?</p>"
        ),
        choices=[
            right(
                "Modified-release oxycodone 20 mg twice daily, with immediate-release oxycodone 5 mg as needed",
                "Correct: 120 mg morphine ≈ 60–80 mg oxycodone; reducing by 25–50% gives 30–60 mg a day, and the rescue dose is about one-sixth to one-tenth.",
            ),
            wrong(
                "Modified-release oxycodone 60 mg twice daily",
                "This treats oxycodone as equipotent to morphine; it is more potent.",
            ),
            wrong(
                "Modified-release oxycodone 40 mg twice daily",
                "This is the full calculated equivalent with no reduction for incomplete cross-tolerance.",
            ),
            wrong(
                "Modified-release oxycodone 5 mg twice daily",
                "This is far below his requirement and will leave him in pain.",
            ),
            wrong(
                "Modified-release oxycodone 120 mg twice daily",
                "This is twice his morphine dose in milligrams, and oxycodone is the more potent opioid.",
            ),
        ],
        explanation=(
            "<p>Equianalgesic tables give a starting point, not an answer: the ratios are approximate and derived "
            "largely from single-dose studies. Because cross-tolerance between opioids is incomplete, reduce the "
            "calculated dose of the new opioid by about 25–50% when pain is controlled, provide adequate rescue doses, "
            "and re-titrate. Reduce less when switching because pain is poorly controlled, and monitor closely.</p>"
        ),
    ),
    multiple_response(
        "cancer-opioid-adverse-effects",
        module="opioids-in-cancer-pain",
        tags=["opioids", "adverse effects"],
        stem="<p>Which statements about opioid adverse effects in cancer pain are correct? Select all that apply.</p>",
        choices=[
            right(
                "Constipation persists for as long as the opioid is taken, so a regular laxative is prescribed from the first dose",
                "Correct: tolerance to constipation does not develop.",
            ),
            right("Nausea is common in the first week and usually settles", "Correct."),
            right(
                "Opioid-induced neurotoxicity can present with agitation, hallucinations, myoclonus and hyperalgesia",
                "Correct: it calls for dose reduction, hydration, a search for precipitants and often a switch.",
            ),
            wrong(
                "Tolerance to constipation develops within a few days, so laxatives can then be stopped",
                "Constipation does not wear off.",
            ),
            wrong(
                "Respiratory depression in a patient on long-term opioids should be reversed with a full 2 mg bolus of naloxone",
                "Give small titrated doses that restore breathing without reversing analgesia or precipitating withdrawal.",
            ),
        ],
        explanation=(
            "<p>Prescribe a regular stimulant laxative with a softener from the first dose, and consider a "
            "peripherally acting mu-opioid receptor antagonist if laxatives fail. Nausea and sedation often improve "
            "within days. If naloxone is needed in a patient on long-term opioids, titrate small doses; its action is "
            "shorter than most opioids', so repeat doses or an infusion may be needed.</p>"
        ),
    ),
    sba(
        "cancer-end-of-dose-failure",
        module="opioids-in-cancer-pain",
        tags=["opioids", "breakthrough pain"],
        stem=(
            "<p>A 58-year-old woman with bone metastases takes modified-release morphine 60 mg every 12 hours. She "
            "reports that her pain returns regularly about two hours before each dose is due, and a rescue dose "
            "relieves it. At other times her pain is well controlled.</p>"
            "<p>What is this pattern, and how should it be managed?</p>"
        ),
        choices=[
            right(
                "End-of-dose failure: adjust the regular regimen, usually by increasing the modified-release dose",
                "Correct: predictable pain before each dose means the regular dose does not last its interval.",
            ),
            wrong(
                "Incident breakthrough pain: give a rescue dose 30 minutes before activity",
                "Incident pain is triggered by movement or activity, not by the timing of doses.",
            ),
            wrong(
                "Spontaneous breakthrough pain: add transmucosal fentanyl",
                "End-of-dose failure is not breakthrough pain and is treated by adjusting the regular regimen.",
            ),
            wrong(
                "Opioid-induced hyperalgesia: reduce the dose",
                "Hyperalgesia causes diffuse, worsening pain, not pain relieved by a rescue dose before each dose.",
            ),
            wrong("Addiction: stop the morphine", "This is a pharmacological pattern, not addiction."),
        ],
        explanation=(
            "<p>Breakthrough cancer pain is a transient exacerbation despite otherwise adequately controlled background "
            "pain; it may be incident (triggered) or spontaneous. <i>End-of-dose failure</i>, pain that returns "
            "regularly before the next scheduled dose, is not breakthrough pain: it is treated by adjusting the regular "
            "regimen. Uncontrolled background pain is likewise managed first by titrating the regular opioid.</p>"
        ),
    ),
    sba(
        "cancer-incident-pain",
        module="opioids-in-cancer-pain",
        tags=["opioids", "breakthrough pain"],
        stem=(
            "<p>A 70-year-old woman with a fungating breast tumour takes modified-release morphine 20 mg twice daily, "
            "which controls her background pain. Each morning her dressing change causes severe pain that lasts about "
            "40 minutes.</p>"
            "<p>Which plan for the dressing-related pain is most appropriate?</p>"
        ),
        choices=[
            right(
                "Immediate-release oral morphine (about 5 mg) 20–30 minutes before the dressing change",
                "Correct: predictable incident pain is treated pre-emptively, timed to the onset of oral morphine; about one-sixth to one-tenth of her 40 mg daily dose.",
            ),
            wrong(
                "Immediate-release oral morphine when the pain starts during the dressing",
                "Oral morphine takes 20–30 minutes to act; given at onset it arrives as the pain ends.",
            ),
            wrong(
                "Transmucosal fentanyl, starting at the dose equivalent to her background morphine",
                "Transmucosal fentanyl doses are titrated separately and cannot be derived from the background dose; at 40 mg a day she is also not opioid-tolerant by the usual definition (at least 60 mg oral morphine a day).",
            ),
            wrong(
                "Double the modified-release morphine dose",
                "Her background pain is controlled; doubling the dose would over-treat the rest of the day.",
            ),
            wrong(
                "Avoid analgesia so that the nurse can judge the wound",
                "Pain relief does not hinder wound assessment.",
            ),
        ],
        explanation=(
            "<p>Incident breakthrough pain is triggered by movement, eating, coughing or dressing changes. Episodes "
            "often peak within minutes and last less than an hour. Oral immediate-release opioids take 20–30 minutes "
            "to act, so for predictable incident pain give them 20–30 minutes before the trigger. Transmucosal "
            "fentanyl suits rapid, unpredictable episodes in opioid-tolerant patients (at least 60 mg oral morphine a "
            "day, or equivalent, for a week or more).</p>"
        ),
    ),
    sba(
        "cancer-coeliac-plexus",
        module="interventions-in-cancer-pain",
        tags=["cancer pain interventions", "neurolytic blocks"],
        stem=(
            "<p>A 64-year-old man with unresectable adenocarcinoma of the body of the pancreas has constant epigastric "
            "pain radiating to his back. His oral morphine requirement has risen to 180 mg a day and he is drowsy and "
            "constipated. CT shows the tumour abutting the coeliac axis without extensive retroperitoneal spread; his "
            "INR and platelet count are normal.</p>"
            "<p>Which intervention is most appropriate?</p>"
        ),
        choices=[
            right(
                "Coeliac plexus neurolysis, percutaneously under CT or fluoroscopic guidance or under endoscopic ultrasound",
                "Correct: it improves pancreatic cancer pain and reduces opioid requirements and adverse effects.",
            ),
            wrong(
                "Superior hypogastric plexus block",
                "This treats pelvic visceral pain, not upper abdominal pain.",
            ),
            wrong("Ganglion impar block", "This treats perineal pain."),
            wrong("Stellate ganglion block", "This targets the head, neck and upper limb."),
            wrong(
                "Percutaneous cervical cordotomy",
                "Cordotomy suits severe unilateral pain below the neck, such as mesothelioma chest-wall pain, not midline visceral pain.",
            ),
        ],
        explanation=(
            "<p>Upper abdominal visceral pain from pancreatic, gastric, biliary or hepatic cancer is transmitted through "
            "the coeliac plexus. Neurolysis (usually with alcohol) improves pain and reduces opioid consumption and "
            "adverse effects, and works best done relatively early. Transient orthostatic hypotension, diarrhoea and "
            "back pain are common; paraplegia and retroperitoneal haemorrhage are rare. After the block, reduce the "
            "opioid promptly but in steps.</p>"
        ),
    ),
    sba(
        "cancer-single-fraction-radiotherapy",
        module="interventions-in-cancer-pain",
        difficulty="easy",
        tags=["cancer pain interventions", "radiotherapy"],
        stem=(
            "<p>A 67-year-old woman with metastatic breast cancer has pain from an uncomplicated metastasis in the "
            "right iliac bone, with no fracture and no neurological involvement. She lives three hours from the "
            "radiotherapy centre.</p>"
            "<p>Which treatment for the painful metastasis is most appropriate?</p>"
        ),
        choices=[
            right(
                "A single 8 Gy fraction of external beam radiotherapy",
                "Correct: it relieves pain as well as multiple fractions and suits a patient who must travel.",
            ),
            wrong(
                "Ten fractions of 3 Gy, because it gives better pain relief",
                "Pain relief is equivalent; multiple fractions mainly lower the chance of re-treatment.",
            ),
            wrong(
                "No radiotherapy; reserve it for the last weeks of life",
                "Radiotherapy and interventions work best while the patient is well enough to travel and lie still.",
            ),
            wrong("Increase her opioid only", "Radiotherapy may remove the source of pain altogether."),
            wrong(
                "Vertebroplasty",
                "Vertebral augmentation treats vertebral compression fractures, not an iliac metastasis.",
            ),
        ],
        explanation=(
            "<p>External beam radiotherapy relieves pain from bone metastases in most patients. For uncomplicated bone "
            "metastases a single 8 Gy fraction gives pain relief equivalent to multiple fractions, with a somewhat "
            "higher chance of needing re-treatment, and is far more convenient. Bone-targeted agents (bisphosphonates "
            "or denosumab) reduce skeletal-related events.</p>"
        ),
    ),
)


QUESTIONS = FOUNDATIONS_QUESTIONS + ACUTE_QUESTIONS + CHRONIC_QUESTIONS + CANCER_QUESTIONS


# --- Quizzes --------------------------------------------------------------------------------


def module_check(
    course: str,
    module: str,
    title: str,
    questions: list[str],
    *,
    instructions: str,
    pass_mark_percent: str = "60",
    time_limit_minutes: int | None = None,
    required_for_completion: bool = False,
) -> dict:
    """Formative: three attempts, answers and explanations shown after each attempt."""
    return {
        "course": course,
        "module": module,
        "title": title,
        "role": "module_check",
        "instructions": instructions,
        "selection": "fixed",
        "questions": questions,
        "draw_count": None,
        "draw_tags": [],
        "pass_mark_percent": pass_mark_percent,
        "attempts_allowed": 3,
        "time_limit_minutes": time_limit_minutes,
        "shuffle_questions": True,
        "shuffle_choices": True,
        "review_policy": "after_each",
        "multiple_response_scoring": "all_or_nothing",
        "required_for_completion": required_for_completion,
    }


def final_assessment(
    course: str,
    title: str,
    *,
    instructions: str,
    questions: list[str] | None = None,
    draw_count: int | None = None,
    draw_tags: list[str] | None = None,
    time_limit_minutes: int,
    attempts_allowed: int,
) -> dict:
    """Summative and required: timed, 70% to pass, answers shown only once passed."""
    return {
        "course": course,
        "module": None,
        "title": title,
        "role": "final",
        "instructions": instructions,
        "selection": "random" if draw_tags else "fixed",
        "questions": questions or [],
        "draw_count": draw_count,
        "draw_tags": draw_tags or [],
        "pass_mark_percent": "70",
        "attempts_allowed": attempts_allowed,
        "time_limit_minutes": time_limit_minutes,
        "shuffle_questions": True,
        "shuffle_choices": True,
        "review_policy": "after_passing",
        "multiple_response_scoring": "all_or_nothing",
        "required_for_completion": True,
    }


QUIZZES = [
    # Foundations: a pre-test (the same items reappear in the final, so it never shows answers).
    {
        "course": FOUNDATIONS,
        "module": None,
        "title": "Pre-test: Foundations of Pain Medicine",
        "role": "pre_test",
        "instructions": (
            "<p>Five questions to show you where to focus before you start the course. The score does not count "
            "towards your certificate, and answers are not shown, because these topics return in the final "
            "assessment. Partial credit is given on the multiple response question.</p>"
        ),
        "selection": "fixed",
        "questions": [
            "foundations-descending-modulation",
            "foundations-nociplastic-pain",
            "foundations-cauda-equina",
            "foundations-yellow-flags",
            "foundations-biopsychosocial-plan",
        ],
        "draw_count": None,
        "draw_tags": [],
        "pass_mark_percent": "60",
        "attempts_allowed": 1,
        "time_limit_minutes": None,
        "shuffle_questions": True,
        "shuffle_choices": True,
        "review_policy": "never",
        "multiple_response_scoring": "partial",
        "required_for_completion": False,
    },
    module_check(
        FOUNDATIONS,
        "early-diagnosis-and-red-flags",
        "Module check: early diagnosis and red flags",
        [
            "foundations-cauda-equina",
            "foundations-metastasis-red-flags",
            "foundations-yellow-flags",
            "foundations-crps-management",
            "foundations-budapest-criteria",
        ],
        instructions=(
            "<p>Five questions on red flags, yellow flags and complex regional pain syndrome. Not timed; you have "
            "three attempts, and each attempt shows the answers and explanations.</p>"
        ),
    ),
    final_assessment(
        FOUNDATIONS,
        "Final assessment: Foundations of Pain Medicine",
        questions=[
            "foundations-descending-modulation",
            "foundations-secondary-hyperalgesia",
            "foundations-nociplastic-pain",
            "foundations-cauda-equina",
            "foundations-metastasis-red-flags",
            "foundations-yellow-flags",
            "foundations-crps-management",
            "foundations-outcome-measures",
            "foundations-opioid-taper",
            "foundations-biopsychosocial-plan",
        ],
        time_limit_minutes=25,
        attempts_allowed=3,
        instructions=(
            "<p>Ten questions covering all three modules; 25 minutes; pass mark 70%. Passing is required for your "
            "certificate. You have three attempts. Answers and explanations are shown once you have passed.</p>"
        ),
    ),
    # Acute pain.
    module_check(
        ACUTE,
        "multimodal-analgesia",
        "Module check: multimodal analgesia",
        [
            "acute-paracetamol-low-weight",
            "acute-modified-release-opioids",
            "acute-nsaid-cautions",
            "acute-perioperative-gabapentinoids",
        ],
        pass_mark_percent="70",
        instructions=(
            "<p>Four questions on building a multimodal regimen. Not timed; three attempts; answers and explanations "
            "after each attempt.</p>"
        ),
    ),
    module_check(
        ACUTE,
        "regional-anaesthesia-and-safety",
        "Module check: regional anaesthesia and safety",
        [
            "acute-bupivacaine-maximum",
            "acute-last-lipid-emulsion",
            "acute-hip-fracture-block",
            "acute-pca-programme",
            "acute-epidural-motor-block",
        ],
        time_limit_minutes=15,
        instructions=(
            "<p>Five questions, including a dose calculation; 15 minutes. Three attempts; answers and explanations "
            "after each attempt.</p>"
        ),
    ),
    final_assessment(
        ACUTE,
        "Final assessment: Acute Pain Management",
        questions=[
            "acute-iasp-definition",
            "acute-flacc",
            "acute-sedation-before-respiratory-rate",
            "acute-paracetamol-low-weight",
            "acute-modified-release-opioids",
            "acute-nsaid-cautions",
            "acute-perioperative-gabapentinoids",
            "acute-bupivacaine-maximum",
            "acute-last-lipid-emulsion",
            "acute-hip-fracture-block",
            "acute-pca-programme",
            "acute-epidural-motor-block",
        ],
        time_limit_minutes=30,
        attempts_allowed=2,
        instructions=(
            "<p>Twelve questions covering the whole course; 30 minutes; pass mark 70%. Passing is required for your "
            "certificate. You have two attempts. Answers and explanations are shown once you have passed.</p>"
        ),
    ),
    # Chronic pain: the regenerative module's check is required, because it carries the
    # regulatory facts (what is approved in India) that every learner must have met.
    module_check(
        CHRONIC,
        "neuropathic-pain",
        "Module check: neuropathic pain",
        [
            "chronic-neupsig-grading",
            "chronic-trigeminal-neuralgia",
            "chronic-postherpetic-lidocaine",
            "chronic-neuropathic-first-line",
        ],
        pass_mark_percent="70",
        time_limit_minutes=15,
        instructions=(
            "<p>Four questions on diagnosing and treating neuropathic pain; 15 minutes. Three attempts; answers and "
            "explanations after each attempt.</p>"
        ),
    ),
    module_check(
        CHRONIC,
        REGENERATIVE,
        "Module check: regenerative therapy for joint pain",
        [
            "regenerative-sessions-arthritis",
            "regenerative-procedure-setting",
            "regenerative-side-effects",
            "regenerative-stemone-approval",
            "regenerative-prp-regulation",
            "regenerative-prolotherapy-mechanism",
        ],
        required_for_completion=True,
        instructions=(
            "<p>Six questions on PRP, prolotherapy and stem cell therapy: sessions, procedure, side effects and "
            "regulation in India. Not timed. Passing (60%) is required for your certificate; you have three "
            "attempts, and each shows the answers and explanations.</p>"
        ),
    ),
    final_assessment(
        CHRONIC,
        "Final assessment: Chronic Musculoskeletal Pain",
        draw_count=12,
        draw_tags=[
            "chronic pain mechanisms",
            "neuropathic pain",
            "spinal interventions",
            "regenerative therapy",
        ],
        time_limit_minutes=30,
        attempts_allowed=2,
        instructions=(
            "<p>Twelve questions drawn at random from the course's question bank, so each attempt is different; 30 "
            "minutes; pass mark 70%. Passing is required for your certificate. You have two attempts. Answers and "
            "explanations are shown once you have passed.</p>"
        ),
    ),
    # Cancer pain.
    module_check(
        CANCER,
        "opioids-in-cancer-pain",
        "Module check: opioids in cancer pain",
        [
            "cancer-titration-to-modified-release",
            "cancer-renal-opioid-choice",
            "cancer-oxycodone-conversion",
            "cancer-opioid-adverse-effects",
            "cancer-end-of-dose-failure",
            "cancer-incident-pain",
        ],
        time_limit_minutes=15,
        instructions=(
            "<p>Six questions on titration, conversion, adverse effects and breakthrough pain, including two "
            "calculations; 15 minutes. Three attempts; answers and explanations after each attempt.</p>"
        ),
    ),
    final_assessment(
        CANCER,
        "Final assessment: Cancer Pain",
        questions=[
            "cancer-spinal-cord-compression",
            "cancer-who-2018",
            "cancer-total-pain",
            "cancer-titration-to-modified-release",
            "cancer-renal-opioid-choice",
            "cancer-oxycodone-conversion",
            "cancer-end-of-dose-failure",
            "cancer-incident-pain",
            "cancer-coeliac-plexus",
            "cancer-single-fraction-radiotherapy",
        ],
        time_limit_minutes=25,
        attempts_allowed=3,
        instructions=(
            "<p>Ten questions covering the whole course; 25 minutes; pass mark 70%. Passing is required for your "
            "certificate. You have three attempts. Answers and explanations are shown once you have passed.</p>"
        ),
    ),
]
