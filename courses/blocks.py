"""StreamField blocks for course and module content.

Each StreamField on a page is bound to one named ``StreamBlock`` here, so the editing
experience and the templates stay the same wherever the content appears.
"""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# Authors get the formatting clinical writing needs and nothing that breaks the
# page's typography or smuggles in markup.
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Section heading"), ("h3", "Sub-heading")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = "A section heading; it also appears in the module's contents list."


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=200,
        help_text="Describe the image for learners who use a screen reader.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)
    attribution = blocks.CharBlock(required=False, max_length=150)

    class Meta:
        icon = "image"
        template = "blocks/image_with_caption_block.html"
        description = "An image (imaging, diagram, photograph) with alternative text and a caption."


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text="A YouTube or Vimeo address.")
    caption = blocks.CharBlock(required=False, max_length=250)
    duration_minutes = blocks.IntegerBlock(required=False, min_value=1)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        description = "An embedded video, such as a procedure demonstration."


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Key points", max_length=80)
    points = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "pick"
        template = "blocks/key_points_block.html"
        description = "A highlighted summary of what a learner must remember."


class ClinicalCaseBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    presentation = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, help_text="History, examination and investigations."
    )
    question = blocks.CharBlock(
        required=False, max_length=250, help_text="A question for the learner to consider."
    )
    discussion = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        help_text="The reasoning and management, revealed when the learner asks for it.",
    )

    class Meta:
        icon = "user"
        template = "blocks/clinical_case_block.html"
        description = "A patient case with a question and a discussion the learner can reveal."


class ReferenceBlock(blocks.StructBlock):
    citation = blocks.CharBlock(
        max_length=500, help_text="Vancouver style: authors, title, journal, year;volume:pages."
    )
    url = blocks.URLBlock(required=False, help_text="DOI or PubMed link.")

    class Meta:
        icon = "link"


class ReferencesBlock(blocks.StructBlock):
    references = blocks.ListBlock(ReferenceBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/references_block.html"
        description = "The numbered list of sources for the module."


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=150, help_text="Defaults to the document's title.")
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "blocks/download_block.html"
        description = "A handout, protocol or slide deck learners can download."


class ModuleBodyBlock(blocks.StreamBlock):
    """The body of a module: the teaching content itself."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description="Body text.",
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    key_points = KeyPointsBlock()
    clinical_case = ClinicalCaseBlock()
    table = TableBlock(
        template="blocks/table_block.html",
        icon="table",
        description="A table, e.g. drug doses or a comparison of techniques.",
        table_options={
            "contextMenu": [
                "row_above",
                "row_below",
                "col_left",
                "col_right",
                "remove_row",
                "remove_col",
                "undo",
                "redo",
            ]
        },
    )
    references = ReferencesBlock()
    download = DownloadBlock()


class LearningObjectivesBlock(blocks.StreamBlock):
    """What a learner will be able to do: one objective per item."""

    objective = blocks.CharBlock(
        max_length=250,
        icon="tick",
        template="blocks/objective_block.html",
        description="Start with a verb a learner can demonstrate: describe, select, interpret…",
    )
