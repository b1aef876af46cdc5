@shared
Feature: Decisions that hold for every rule
  Neither source document names an error code. The kit therefore judges a refusal by the kind of
  reason it gives, never by its number, and it insists that a refusal leaves no trace. These
  decisions concern the bill-run rules and the write-off rules alike, so they are written here
  once instead of in every feature.

  Decision (MUST): a refused operation changes nothing. Whatever it would have canceled, posted,
  deleted, paid or written off stays exactly as it was, and so does every subscription it named.

  Decision (MUST): an operation "refused because a business rule forbids it" may be answered as
  a rule restriction or as an invalid value, since Zuora's bill-run pages describe such refusals
  both ways. The reference answers with a rule restriction.

  Decision (MUST): an order refused for another reason a scenario names (a tenant feature it
  lacks, options it may not combine, an option it leaves out) may be answered in any of Zuora's
  business categories: permission, invalid value, unknown or missing field, rule restriction. The
  reference answers a missing tenant feature as permission, a write-off asked of an asynchronous
  order as an unknown field, and the rest as rule restrictions.

  Decision (MUST): a refusal is read by the category its error code ends with (Zuora's developer
  guide "Error codes", its table of error categories), and only a business answer is judged by a
  rule: a missing permission, an invalid value, an unknown or missing field, a rule restriction,
  something not found. A locking contention or a temporary error means "not now": the request is
  sent again when that changes nothing, as a request limit always is, and the scenario is errored
  if the answer does not change. An internal or integration error, refused credentials, and a
  request not taken up as a business request (a malformed body, a missing or invalid query
  parameter, a method the operation lacks) make the scenario errored as well. None of these
  breaks a rule.
