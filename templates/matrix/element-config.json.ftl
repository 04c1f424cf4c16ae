{
    "default_server_config": {
        "m.homeserver": {
            "base_url": "${public.base_url}",
            "server_name": "${server_name?json_string}"
        }
    },
    "brand": "${element_brand?json_string}",
    "disable_guests": true,
    "disable_custom_urls": false,
    "room_directory": {
        "servers": ["${server_name?json_string}"]
    }
}
