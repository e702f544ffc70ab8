from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _index(self, bin_data, file_type, checksum=None):
        # EXTENDS base: an exported file stored for download only (the JPK of
        # a month, 40 MB at 100 000 documents, which Odoo stores as plain
        # text for a user who may not edit views) is not searched by its
        # words: indexing it would copy it several times in memory.
        if self.env.context.get("pl_download_only"):
            return None
        return super()._index(bin_data, file_type, checksum=checksum)
