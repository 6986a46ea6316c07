"""UBL 2.1 namespace URIs and the prefix map used in XPath expressions."""
from typing import Final

CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
ORDER: Final = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"
ORDER_RESPONSE: Final = "urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"
CATALOGUE: Final = "urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"
DESPATCH_ADVICE: Final = "urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"
APPLICATION_RESPONSE: Final = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
SBDH: Final = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"

NS: Final = {"cbc": CBC, "cac": CAC}
