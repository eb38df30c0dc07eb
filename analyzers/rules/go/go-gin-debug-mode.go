package main

import (
	"os"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

func router() *gin.Engine {
	// ruleid: go-gin-debug-mode
	gin.SetMode(gin.DebugMode)
	return gin.Default()
}

func echoServer() *echo.Echo {
	e := echo.New()
	// ruleid: go-gin-debug-mode
	e.Debug = true
	return e
}

func configured() *gin.Engine {
	// ok: go-gin-debug-mode
	gin.SetMode(gin.ReleaseMode)
	if os.Getenv("APP_ENV") == "dev" {
		// ok: go-gin-debug-mode
		gin.SetMode(os.Getenv("GIN_MODE"))
	}
	return gin.New()
}
