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
