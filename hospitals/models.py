"""Hospitals: partner roster, agreements, verification, emergency requests.

Empty until the partner-hospitals issue (#5) lands; the app exists so the
project has its final shape and migrations can be added without reshuffling.
"""
