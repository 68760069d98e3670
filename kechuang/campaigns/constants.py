"""Plain constants of campaigns and agencies."""

# Visit-record attachments: photos, scans and Office Open XML documents; the size limit is the
# setting KECHUANG_VISIT_ATTACHMENT_MAX_MB (kechuang.campaigns.attachments).
ATTACHMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")

# The eight R&D expense categories of the high-tech scope (AnnualFigure fields), in the order of
# the 高新技术企业认定 R&D expense summary table.
RD_CATEGORY_FIELDS = (
    "rd_hnte_personnel",
    "rd_hnte_direct",
    "rd_hnte_depreciation",
    "rd_hnte_intangible",
    "rd_hnte_design",
    "rd_hnte_equipment_trial",
    "rd_hnte_commissioned",
    "rd_hnte_other",
)

# Days from a campaign's creation to its default due date (then moved to the month end).
DEFAULT_DUE_DAYS = 60
