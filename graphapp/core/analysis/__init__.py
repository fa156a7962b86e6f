"""Qt-free computations behind the training lab's plots: the optimizer race, loss landscapes, activation
histograms, decision boundaries and confusion matrices."""
