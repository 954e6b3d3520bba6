-- Test stand-in for English Wikipedia's Module:Flag: {{#invoke:flag||United Kingdom}} is {{flag|United Kingdom}}
-- (large articles call it directly). Renders through the Flag templates.
local p = {}

local function via(template)
	return function(frame)
		local args = {}
		for k, v in pairs(frame.args) do
			args[k] = v
		end
		return frame:expandTemplate({ title = template, args = args })
	end
end

p[''] = via('Flag')
p.flag = via('Flag')
p.u = via('Flagu')
p.icon = via('Flagicon')
p.deco = via('Flagdeco')
p.country = via('Flagcountry')

return p
