"""Price estimates from the vendor's own price inquiry (BSS), never invented.

`sites` holds the billing sites' facts; `inquiry` turns a request into what is priced; `codes` discovers and
caches the product codes; `bss` talks to the billing APIs; `estimate` is the answer; `pricer` puts them
together (site detection, caching per inquiry).
"""
