-- The periods the selectors offer (dashboard_periods), newest first per grain.
select grain, period, is_latest
from dashboard_periods
order by case grain when 'month' then 1 when 'quarter' then 2 else 3 end, period desc
