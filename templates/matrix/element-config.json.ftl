{
    "default_server_config": {
        "m.homeserver": {
            "base_url": "${public.base_url}",
            "server_name": "${server_name?json_string}"
        }
    },
    "brand": "${element_brand?json_string}",
<#if branding?? && branding.welcome_url?has_content>
    "embedded_pages": {
        "welcome_url": "${branding.welcome_url?json_string}"
    },
</#if>
<#if branding?? && branding.logo_url?has_content>
    "branding": {
        "auth_header_logo_url": "${branding.logo_url?json_string}"
    },
</#if>
<#if branding?? && branding.theme?has_content>
    "default_theme": "${branding.theme?json_string}",
</#if>
    "disable_guests": true,
    "disable_custom_urls": false,
    "room_directory": {
        "servers": ["${server_name?json_string}"]
    }
}
