-- One row per customer: typed, trimmed, country codes in upper case.
select
    cast(id as integer) as customer_id,
    trim(name) as customer_name,
    upper(country) as country_code,
    cast(signup_date as date) as signed_up_on
from {{ source('raw', 'customers') }}
