from vhost.app.cli import main

raise SystemExit(main())
