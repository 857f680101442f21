"""Page objects: one per screen of the portal, located by role and visible label only.

The same page objects drive the bundled mock (both markups, both wordings) and a staging
portal whose markup they have never seen. The label catalogue (``pages.labels``) holds every
documented wording with its English gloss.
"""

from __future__ import annotations
